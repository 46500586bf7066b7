// How a server's caps for one member combine (the SQL in confirm_quote enforces the result, and
// the member's own /settings caps on top: the stricter applies). Pure; the bot passes the result
// into confirm_quote, since only the interaction knows the member's roles.

/** Credits a member may spend per UTC day and month; null = no cap for that period. */
export interface SpendingCaps {
  readonly daily: number | null;
  readonly monthly: number | null;
}

/** One cap an admin set in a server, for one member or one role (@everyone's id is the server's). */
export interface ServerCapRule {
  readonly kind: 'member' | 'role';
  readonly subjectId: string;
  readonly daily: number | null;
  readonly monthly: number | null;
}

export const noCaps: SpendingCaps = { daily: null, monthly: null };

/**
 * The server's caps for a member: a rule set for the member themself replaces their roles' caps
 * entirely (admins use it for an exception either way; null there = no cap, an exemption);
 * otherwise, per period, the most generous cap among the member's roles that set one — roles
 * grant, like tiers do, so a "trusted" role lifts a stricter @everyone cap. @everyone (role id =
 * guild id) applies to every member.
 */
export function serverCapsFor(rules: readonly ServerCapRule[], member: { userId: string; guildId: string; roleIds: readonly string[] }): SpendingCaps {
  const roles = new Set([...member.roleIds, member.guildId]);
  const own = rules.find((rule) => rule.kind === 'member' && rule.subjectId === member.userId);
  const roleRules = rules.filter((rule) => rule.kind === 'role' && roles.has(rule.subjectId));
  const pick = (period: 'daily' | 'monthly'): number | null => {
    if (own) return own[period];
    const values = roleRules.map((rule) => rule[period]).filter((value): value is number => value !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  return { daily: pick('daily'), monthly: pick('monthly') };
}
