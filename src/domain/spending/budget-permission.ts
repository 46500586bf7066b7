// Who may set a server's budget. The budget protects the operator's bill, so it is the operator's
// (OWNER_IDS) to set; a server's owner may set one only where the operator allows it
// (GUILD_OWNER_BUDGETS), and never change one the operator set. Server admins who are not the
// owner may only look and choose where alerts go.

export interface BudgetPolicy {
  readonly ownerIds: readonly string[];
  /** GUILD_OWNER_BUDGETS: may a server's owner set its budget? */
  readonly guildOwnersMaySetBudget: boolean;
}

export type BudgetPermission =
  { readonly allowed: true; readonly asOperator: boolean } | { readonly allowed: false; readonly reason: 'not_owner' | 'owners_not_allowed' | 'operator_set' };

/**
 * Whether `actorId` may set or clear the budget of a server owned by `guildOwnerId` (null when
 * unknown: treated as nobody), given who set the current one.
 */
export function budgetPermission(
  policy: BudgetPolicy,
  actor: { readonly actorId: string; readonly guildOwnerId: string | null },
  current: { readonly setByOperator: boolean } | null,
): BudgetPermission {
  if (policy.ownerIds.includes(actor.actorId)) return { allowed: true, asOperator: true };
  if (actor.guildOwnerId === null || actor.actorId !== actor.guildOwnerId) return { allowed: false, reason: 'not_owner' };
  if (!policy.guildOwnersMaySetBudget) return { allowed: false, reason: 'owners_not_allowed' };
  if (current?.setByOperator) return { allowed: false, reason: 'operator_set' };
  return { allowed: true, asOperator: false };
}
