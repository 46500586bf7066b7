import type { LedgerError } from '../../domain/credits/ledger-errors.js';
import type { Result } from '../../domain/result.js';
import type { GuildId, UserId } from './ledger.js';

export interface AdminGrantInput {
  /** The interaction id: a retried interaction grants once (`admin-grant:<interactionId>`). */
  readonly interactionId: string;
  readonly userId: UserId;
  readonly guildId: GuildId;
  readonly amount: number;
  readonly expiresAt: Date | null;
  readonly actorId: string;
  readonly reason: string;
  /**
   * Most credits capped granters may give this member in this guild per UTC day, this grant
   * included; null for an uncapped granter (an operator).
   */
  readonly dailyCap: number | null;
  /** Granters whose grants do not count toward the cap (the operator's owners). */
  readonly uncappedActorIds: readonly string[];
}

export type AdminGrantOutcome =
  | { readonly outcome: 'granted'; readonly amount: number; readonly expiresAt: Date | null; readonly grantedToday: number | null }
  /** The interaction had granted already; nothing was granted now. */
  | { readonly outcome: 'replayed'; readonly amount: number; readonly expiresAt: Date | null };

export type AdminGrantError = LedgerError | { readonly code: 'over_daily_cap'; readonly cap: number; readonly grantedToday: number };

export interface JobRefundInput {
  readonly jobId: string;
  /** The guild the admin acts in: a job of another guild is "not found". */
  readonly guildId: GuildId;
  readonly actorId: string;
  readonly reason: string;
  /** As for gifts: the most capped granters may give this member here per UTC day, gifts and refunds together; null for an owner. */
  readonly dailyCap: number | null;
  readonly uncappedActorIds: readonly string[];
}

export type JobRefundOutcome =
  | { readonly outcome: 'refunded'; readonly userId: UserId; readonly amount: number; readonly refundedAt: Date }
  | { readonly outcome: 'already_refunded'; readonly userId: UserId; readonly amount: number; readonly refundedAt: Date }
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'not_finished'; readonly status: 'queued' | 'running' }
  | { readonly outcome: 'nothing_charged'; readonly userId: UserId }
  /** The refund would pass the daily cap: nothing changed. */
  | { readonly outcome: 'over_daily_cap'; readonly userId: UserId; readonly amount: number; readonly cap: number; readonly givenToday: number };

/** The admin-only ways credits are created: gifts and job refunds, under one daily cap for server admins. Both idempotent. */
export interface AdminCredits {
  grant(input: AdminGrantInput): Promise<Result<AdminGrantOutcome, AdminGrantError>>;
  /**
   * Gives a finished job's charged credits back to its owner, once per job, as a grant lot, and
   * records `job.refund` in the admin audit log in the same transaction.
   */
  refundJob(input: JobRefundInput): Promise<Result<JobRefundOutcome, LedgerError>>;
}
