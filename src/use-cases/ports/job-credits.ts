// The credits of a job: the only writes that move credits for generation, all in the ledger's SQL
// functions (confirm_quote holds through ledger_hold, finish_job and time_out_job settle through
// ledger_settle), each one transaction with the job row it changes, so a job and its credits can
// never disagree. Implemented in src/ledger/sql-job-credits.ts.
import type { Refills } from '../../domain/credits/refills.js';
import type { Result } from '../../domain/result.js';
import type { SpendingCaps } from '../../domain/spending/server-caps.js';
import type { InteractionWebhook } from './job-store.js';

export interface ConfirmQuoteInput {
  readonly quoteId: string;
  readonly userId: string;
  readonly priority: number;
  readonly deadlineAt: Date;
  /** The confirming interaction's webhook, stored on the job it creates (a replay keeps the first). */
  readonly interaction?: InteractionWebhook;
  /**
   * The server's caps for this member (from its member and role caps, see
   * src/domain/spending/server-caps.ts); the member's own caps are read in the same transaction.
   * @defaultValue none
   */
  readonly serverCaps?: SpendingCaps | undefined;
}

export type ConfirmRejection =
  | { readonly code: 'quote_not_found' }
  | { readonly code: 'not_quote_owner' }
  | { readonly code: 'quote_expired' }
  | { readonly code: 'quote_cancelled' }
  | {
      readonly code: 'insufficient_credits';
      readonly needed: number;
      readonly available: number;
      /** When more credits come without paying (added by the confirm use case). */
      readonly refills?: Refills;
    }
  /** The member already has a Relax job queued or running (one at a time, across servers). */
  | { readonly code: 'relax_busy' }
  /** This job would take the member past a cap: theirs (/settings) or the server's for them. */
  | {
      readonly code: 'cap_reached';
      readonly period: 'day' | 'month';
      readonly source: 'member' | 'server';
      readonly limit: number;
      /** Spent (or held by running jobs) in this server this period. */
      readonly spent: number;
      readonly price: number;
    }
  /** This job would take the server past its monthly budget. */
  | { readonly code: 'budget_reached'; readonly unit: 'credits' | 'usd'; readonly budget: number; readonly spent: number };

export interface ConfirmedJob {
  readonly jobId: string;
  readonly price: number;
  /** true when the quote had been confirmed before (a double click): nothing new was held. */
  readonly replayed: boolean;
}

export interface FinishInput {
  readonly delivered: number;
  readonly failureReason: string | null;
  readonly memberMessage: string | null;
  readonly providerCostUsd: number | null;
  readonly predictTimeSeconds: number | null;
}

export interface FinishedJob {
  readonly status: 'succeeded' | 'partial' | 'failed';
  readonly charged: number;
  readonly refunded: number;
  /** true when the job had already been finished (by another worker or the reaper). */
  readonly replayed: boolean;
}

export type TimeOutResult =
  /** Ended now as a failure; everything held was refunded. */
  | { readonly kind: 'timed_out'; readonly charged: number; readonly refunded: number }
  /** Past its deadline but a worker's lease on it is live: that worker finishes it (in overtime). */
  | { readonly kind: 'running' }
  | { readonly kind: 'not_due' }
  /** It had ended already. */
  | { readonly kind: 'already' };

export interface JobCredits {
  /** Consumes the quote, holds its price and creates the job, in one transaction; a replay holds nothing more. */
  confirmQuote(input: ConfirmQuoteInput): Promise<Result<ConfirmedJob, ConfirmRejection>>;
  /** Ends the job and settles its hold (charging what was delivered, refunding the rest) in one transaction, exactly once. */
  finish(jobId: string, input: FinishInput): Promise<FinishedJob>;
  /**
   * Ends a job past its deadline that no worker holds a live lease on, refunding everything
   * (the member's message is stored with it). Decided under the job's lock: exactly once, and
   * never while a worker may still deliver it.
   */
  timeOut(jobId: string, memberMessage: string): Promise<TimeOutResult>;
}
