import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { err, type Result } from '../domain/result.js';
import { creditsInputProblem, type CreditsInputProblem, type CreditsMember } from './grant-credits.js';
import type { Ledger, Revoked } from './ports/ledger.js';

export interface RevokeCreditsInput {
  /** A retried interaction revokes once. */
  readonly interactionId: string;
  readonly guildId: string;
  readonly actorId: string;
  readonly member: CreditsMember;
  readonly amount: number;
  readonly reason: string;
}

/**
 * /admin credits revoke: takes back unspent gifts only — free and tier credits come from the
 * server's settings, top-ups were paid for. The ledger entry records who took them and why.
 */
export async function revokeCredits(deps: { readonly ledger: Ledger }, input: RevokeCreditsInput): Promise<Result<Revoked, CreditsInputProblem | LedgerError>> {
  const problem = creditsInputProblem(input.member, input.amount);
  if (problem !== null) return err(problem);
  return deps.ledger.revoke({
    key: `admin-revoke:${input.interactionId}`,
    userId: input.member.id,
    guildId: input.guildId,
    amount: input.amount,
    kinds: ['grant'],
    actorId: input.actorId,
    reason: input.reason,
  });
}
