import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { grantPermission, type GrantPolicy } from '../domain/admin/grant-policy.js';
import { err, type Result } from '../domain/result.js';
import type { AdminCredits, JobRefundOutcome } from './ports/admin-credits.js';

export type { JobRefundOutcome };

/**
 * /admin refund job: a finished job's charged credits back to its owner, once per job, with its
 * audit row in the same transaction. It creates credits (the job's charge stays captured: the
 * provider was paid), so it follows the operator's policy for gifts: owners uncapped, server
 * admins only where allowed, within the daily cap.
 */
export async function refundJob(
  deps: { readonly adminCredits: AdminCredits; readonly grantPolicy: GrantPolicy },
  input: { readonly jobId: string; readonly guildId: string; readonly actorId: string; readonly reason: string },
): Promise<Result<JobRefundOutcome, { readonly code: 'not_allowed' } | LedgerError>> {
  const permission = grantPermission(deps.grantPolicy, input.actorId);
  if (!permission.allowed) return err({ code: 'not_allowed' });
  return deps.adminCredits.refundJob({ ...input, dailyCap: permission.dailyCap, uncappedActorIds: deps.grantPolicy.ownerIds });
}
