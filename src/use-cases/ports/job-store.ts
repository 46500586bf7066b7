import type { Lane } from '../../domain/pricing/card-terms.js';
import type { JobRequest } from '../../domain/jobs/job-request.js';
import type { PredictionStore } from './image-provider.js';

export interface NewQuote {
  readonly userId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly request: JobRequest;
  readonly breakdown: unknown;
  readonly price: number;
  readonly tierName: string;
  readonly expiresAt: Date;
  /** The price at lane factor 1× (what the work is worth to the operator). @defaultValue the price */
  readonly listPrice?: number | undefined;
  /** What the job should cost the provider, in dollars (server budgets in dollars count it). */
  readonly providerUsd?: number | undefined;
}

export type { Lane };

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';

/**
 * The webhook of the interaction that confirmed a job: its follow-ups and edits have a budget of
 * their own (per token), unlike channel messages, but only until the token expires (15 minutes
 * after the interaction).
 */
export interface InteractionWebhook {
  readonly applicationId: string;
  readonly token: string;
  readonly expiresAt: Date;
}

export interface JobRecord {
  readonly id: string;
  readonly userId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly request: JobRequest;
  readonly price: number;
  readonly tierName: string;
  readonly priority: number;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly deadlineAt: Date;
  /** The public job message in `channelId` (null until posted). */
  readonly messageId: string | null;
  /** Where the job message is written while its token lives; null for jobs confirmed outside Discord. */
  readonly interaction: InteractionWebhook | null;
  readonly imagesDelivered: number;
  readonly createdAt: Date;
}

/** One line of a member's job list (/show job autocomplete). */
export interface JobSummary {
  readonly id: string;
  readonly prompt: string;
  readonly operation: string;
  readonly status: JobStatus;
  readonly createdAt: Date;
}

/** Where the public job message lives; the channel delivery keeps it current. */
export interface JobMessageStore {
  /**
   * Records the job's message. With `replacing`, only if the stored id is still that one (a
   * repost after the old message was deleted); otherwise only if none is stored yet.
   * Resolves with the id stored afterwards.
   */
  setMessageId(jobId: string, messageId: string, replacing?: string | null): Promise<string | null>;
  /**
   * Until when the bot may still be editing the job's queued message (see QueuePlaceStore); a
   * worker's first edit of the message waits for it. null when nobody is.
   */
  queuePlaceEditingUntil(jobId: string): Promise<Date | null>;
}

/** A queued job whose message shows an outdated place in the queue. */
export interface StaleQueuePlace {
  readonly job: JobRecord;
  /** Jobs ahead of it now. */
  readonly ahead: number;
  /** The place its message shows (null: not known, e.g. never recorded). */
  readonly shown: number | null;
}

/** Keeping "queued, position N" current: which messages are out of date, and a guard around each edit. */
export interface QueuePlaceStore {
  /**
   * Queued jobs with a message whose shown place differs from their place now, the most out of
   * date first (never recorded, then by how far off), among the first `reach` queued jobs (the rest keep the place they were posted with
   * until they come within reach). @param reach @defaultValue 1000
   */
  staleQueuePlaces(limit: number, reach?: number): Promise<StaleQueuePlace[]>;
  /** Marks the job's message as being edited until `until`; false (and no mark) when the job is no longer queued. */
  beginQueuePlaceEdit(jobId: string, until: Date): Promise<boolean>;
  /** Records the place the message now shows (null: unchanged, the edit failed) and clears any edit mark. */
  recordQueuePlace(jobId: string, placeShown: number | null): Promise<void>;
}

export interface ClaimLimit {
  /** Most jobs of this job's member that may run at once, this one included (a whole number ≥ 1). */
  readonly maxRunningForMember: number;
}

export type ClaimResult =
  /** This worker now holds the job's lease. */
  | { readonly kind: 'claimed'; readonly job: JobRecord }
  /** The job has ended (or does not exist): nothing to run. */
  | { readonly kind: 'finished' }
  /** Another worker's lease on this job is live: it is doing the work. */
  | { readonly kind: 'held_elsewhere' }
  /** The member already runs `running` other jobs (≥ the limit): nothing changed; try later. */
  | { readonly kind: 'member_limit'; readonly running: number }
  /** The job's deadline has passed: no attempt starts (it is to be timed out and refunded). */
  | { readonly kind: 'past_deadline' };

/**
 * Jobs and quotes in PostgreSQL: the truth about every job, whatever Redis says. It moves no
 * credit: confirming, finishing and timing out a job go through the ledger's JobCredits.
 */
export interface QuoteQueueing {
  readonly tierName: string;
  readonly lane: Lane;
}

export interface JobStore extends JobMessageStore, QueuePlaceStore {
  createQuote(quote: NewQuote): Promise<string>;
  cancelQuote(quoteId: string, userId: string): Promise<boolean>;
  /**
   * Deletes up to `limit` quotes that were never confirmed (open or cancelled) and expired before
   * `expiredBefore`; returns how many. Confirmed quotes stay: a late double click on Generate
   * still finds its job through them.
   */
  pruneQuotes(expiredBefore: Date, limit: number): Promise<number>;
  /** The tier and lane the quote was priced at (they decide the job's place in the queue); null if unknown. */
  quoteQueueing(quoteId: string): Promise<QuoteQueueing | null>;
  /**
   * Images the member's finished Relax jobs delivered since `since`: their place in the Relax
   * queue (heavier recent use waits longer). Failed images and time spent queued do not count.
   */
  recentRelaxImages(userId: string, since: Date): Promise<number>;
  get(jobId: string): Promise<JobRecord | null>;
  /** The owner marks a delivered job's images as kept (keep ⭐). */
  markKept(jobId: string, userId: string): Promise<'kept' | 'not_owner' | 'not_delivered' | 'not_found'>;
  markEnqueued(jobId: string): Promise<void>;
  /**
   * Takes the job for this worker until `leaseMs` from now, in one atomic step with the member's
   * running-job limit: claims of one member's jobs are serialised, so two workers can never both
   * see room for one more. An expired lease (a dead worker's) is taken over. A job past its
   * deadline is never claimed.
   */
  claim(jobId: string, workerId: string, leaseMs: number, limit: ClaimLimit): Promise<ClaimResult>;
  /**
   * Extends this worker's lease to `leaseMs` from now, but never past the job's deadline plus the
   * store's overtime; false when the job is not this worker's any more or the overtime is spent.
   */
  renewLease(jobId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /**
   * The check before delivering: true (and the lease extended by `leaseMs`) only while the job
   * runs under this worker's live lease. False: the job was timed out or taken over; deliver nothing.
   */
  beginDelivery(jobId: string, workerId: string, leaseMs: number): Promise<boolean>;
  /** Gives the job up (before a retry) so the next attempt, on any worker, may claim it at once. */
  releaseLease(jobId: string, workerId: string): Promise<void>;
  /** Jobs still queued or running whose worker is gone or that never reached the queue. */
  findOrphans(olderThanMs: number): Promise<{ id: string; priority: number }[]>;
  /** Jobs past their deadline with no live lease: candidates for JobCredits.timeOut. */
  findPastDeadline(limit: number): Promise<string[]>;
  /** The member's queued jobs, the next to run first (priority, then age). */
  queuedJobIdsOf(userId: string, limit: number): Promise<string[]>;
  /** Queued jobs that run before this one (priority, then age); 0 when it is next or not queued. */
  queuedAhead(jobId: string): Promise<number>;
  /** The member's latest jobs in a guild, newest first, optionally whose prompt or id contains `search`. */
  recentJobs(userId: string, guildId: string, search: string, limit: number): Promise<JobSummary[]>;
  readonly predictions: PredictionStore;
}
