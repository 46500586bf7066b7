// /admin credits grant. Grants create credits from nothing, so who may grant (and how many) is
// the operator's call (domain/admin/grant-policy); the cap and the once-per-interaction rule are
// enforced in the database. The ledger entry records who gave them and why.
import { grantPermission, maxCreditsPerGrant, type GrantPolicy } from '../domain/admin/grant-policy.js';
import { err, ok, type Result } from '../domain/result.js';
import type { AdminCredits, AdminGrantError, AdminGrantOutcome } from './ports/admin-credits.js';

const dayMs = 24 * 60 * 60 * 1000;
/** The longest expiry a gift may have; longer is a typo (leave it out for credits that never expire). */
export const maxGiftExpiryDays = 3650;

/** The member credits are given to or taken from, as Discord resolved the option. */
export interface CreditsMember {
  readonly id: string;
  /** Bots hold no credits. */
  readonly bot: boolean;
}

export interface GrantCreditsInput {
  /** A retried interaction grants once. */
  readonly interactionId: string;
  readonly guildId: string;
  readonly actorId: string;
  readonly member: CreditsMember;
  readonly amount: number;
  /** null: the credits never expire. */
  readonly expiresInDays: number | null;
  readonly reason: string;
}

/** A member or amount no grant or revoke can have. */
export type CreditsInputProblem = { readonly code: 'member_is_bot' } | { readonly code: 'amount_out_of_range'; readonly max: number };

export type GrantCreditsRefusal =
  { readonly code: 'not_allowed' } | CreditsInputProblem | { readonly code: 'expiry_out_of_range'; readonly max: number } | AdminGrantError;

/** The member and amount of a grant or revoke, checked. */
export function creditsInputProblem(member: CreditsMember, amount: number): CreditsInputProblem | null {
  if (member.bot) return { code: 'member_is_bot' };
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > maxCreditsPerGrant) return { code: 'amount_out_of_range', max: maxCreditsPerGrant };
  return null;
}

/** Gifts credits to a member in this guild, once per interaction, within the operator's policy and daily cap. */
export async function grantCredits(
  deps: { readonly adminCredits: AdminCredits; readonly grantPolicy: GrantPolicy; readonly now: () => Date },
  input: GrantCreditsInput,
): Promise<Result<AdminGrantOutcome & { readonly dailyCap: number | null }, GrantCreditsRefusal>> {
  const permission = grantPermission(deps.grantPolicy, input.actorId);
  if (!permission.allowed) return err({ code: 'not_allowed' });
  const problem = creditsInputProblem(input.member, input.amount);
  if (problem !== null) return err(problem);
  const days = input.expiresInDays;
  if (days !== null && (days < 1 || days > maxGiftExpiryDays)) return err({ code: 'expiry_out_of_range', max: maxGiftExpiryDays });
  const granted = await deps.adminCredits.grant({
    interactionId: input.interactionId,
    userId: input.member.id,
    guildId: input.guildId,
    amount: input.amount,
    expiresAt: days === null ? null : new Date(deps.now().getTime() + days * dayMs),
    actorId: input.actorId,
    reason: input.reason,
    dailyCap: permission.dailyCap,
    uncappedActorIds: deps.grantPolicy.ownerIds,
  });
  return granted.ok ? ok({ ...granted.value, dailyCap: permission.dailyCap }) : granted;
}
