// /admin caps member|role: a server's caps for one member or one role. Applied at confirm (SQL),
// combined per member by serverCapsFor (src/domain/spending/server-caps.ts).
import { parseCap, type CapProblem } from '../domain/spending/caps.js';
import { err, ok, type Result } from '../domain/result.js';
import type { ServerCapRule } from '../domain/spending/server-caps.js';
import type { SpendingLimits } from './ports/spending-limits.js';

export interface SetSpendingCapInput {
  readonly guildId: string;
  readonly actorId: string;
  readonly kind: 'member' | 'role';
  readonly subjectId: string;
  /** As typed ("50", "off"); undefined keeps that period's cap as it is. For a member, "off" exempts them from their roles' cap. */
  readonly daily?: string | undefined;
  readonly monthly?: string | undefined;
  readonly reason?: string | undefined;
}

export type SetSpendingCapRefusal =
  { readonly code: 'nothing_given' } | { readonly code: 'bad_cap'; readonly period: 'daily' | 'monthly'; readonly problem: CapProblem };

/** The rule after the change (a role's with both periods null: removed). */
export async function setSpendingCap(
  deps: { readonly spendingLimits: Pick<SpendingLimits, 'serverCapRules' | 'setServerCap'> },
  input: SetSpendingCapInput,
): Promise<Result<ServerCapRule, SetSpendingCapRefusal>> {
  if (input.daily === undefined && input.monthly === undefined) return err({ code: 'nothing_given' });
  const parse = (period: 'daily' | 'monthly', text: string | undefined): Result<number | null | undefined, SetSpendingCapRefusal> => {
    if (text === undefined) return ok(undefined);
    const cap = parseCap(text);
    return cap.ok ? ok(cap.value) : err({ code: 'bad_cap', period, problem: cap.problem });
  };
  const daily = parse('daily', input.daily);
  if (!daily.ok) return daily;
  const monthly = parse('monthly', input.monthly);
  if (!monthly.ok) return monthly;
  const current = (await deps.spendingLimits.serverCapRules(input.guildId)).find((rule) => rule.kind === input.kind && rule.subjectId === input.subjectId);
  const rule: ServerCapRule = {
    kind: input.kind,
    subjectId: input.subjectId,
    daily: daily.value === undefined ? (current?.daily ?? null) : daily.value,
    monthly: monthly.value === undefined ? (current?.monthly ?? null) : monthly.value,
  };
  await deps.spendingLimits.setServerCap({ guildId: input.guildId, ...rule, actorId: input.actorId, reason: input.reason });
  return ok(rule);
}

/** Removes a member's or a role's caps; false when there were none. */
export const removeSpendingCap = (
  deps: { readonly spendingLimits: Pick<SpendingLimits, 'removeServerCap'> },
  input: Pick<SetSpendingCapInput, 'guildId' | 'actorId' | 'kind' | 'subjectId' | 'reason'>,
): Promise<boolean> => deps.spendingLimits.removeServerCap(input);
