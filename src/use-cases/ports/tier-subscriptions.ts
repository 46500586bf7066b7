// Sold plans (issue 15): the subscriptions that give members a tier, and their paid periods —
// the only rows that authorise subscription credits. Written only from verified seller events
// (the Discord gateway and REST, signed Stripe webhooks); no admin path reaches them.
// Implemented in src/ledger/sql-tier-subscriptions.ts, beside the ledger it authorises.
import type { PlanInterval } from '../../domain/pricing/card-terms.js';
import type { MemberSubscription } from '../../domain/subscriptions/tier-sources.js';

export type SubscriptionSource = 'discord' | 'stripe';

/** A subscription as its seller describes it now. */
export interface SubscriptionRecord {
  readonly source: SubscriptionSource;
  /** The seller's id: a Discord subscription id, a Stripe subscription id. */
  readonly externalId: string;
  /** The buyer. */
  readonly userId: string;
  /** A Discord guild subscription: every member of this server has the tier. */
  readonly guildId: string | null;
  /** The tier of the current paid period. */
  readonly tierName: string;
  /** The tier from the next renewal, when a downgrade waits for it. */
  readonly renewalTierName: string | null;
  readonly interval: PlanInterval;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** `ending`: cancelled, the tier lasts to periodEnd and does not renew. */
  readonly status: 'active' | 'ending';
}

/** What is stored for a subscription (its id is `<source>:<externalId>`). */
export interface StoredSubscription extends SubscriptionRecord {
  readonly id: string;
  readonly ended: boolean;
}

/** One paid period: a renewal, an invoice, an upgrade's difference. */
export interface PaidPeriod {
  /** The seller's name for this payment, unique: a period recorded twice is recorded once. */
  readonly reference: string;
  readonly tierName: string;
  /** The plan's credits for the period (before what overlapping periods already gave). */
  readonly credits: number;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** periodEnd, later with the tier's rollover. */
  readonly expiresAt: Date;
}

export interface RecordedPeriod {
  readonly periodId: bigint;
  /** false: the reference was recorded before (a replayed event). */
  readonly created: boolean;
  /** Credits granted to the buyer by this call (user-level subscriptions are granted at once; a guild's members get theirs when they next use the bot). */
  readonly granted: number;
}

export interface EndSubscription {
  readonly subscriptionId: string;
  /** Now for a refund or a deleted entitlement; the period's end for a plan that ran out. */
  readonly endsAt: Date;
  readonly reason: string;
  /**
   * Share of each still-running paid period's credits to take back from what is unspent: 1 for a
   * deleted (refunded) entitlement, the refunded share of the price for a partial refund, 0 for
   * a plan that simply ended.
   */
  readonly takeBackFraction: number;
  /** Idempotency key of the take-back. */
  readonly key: string;
}

export interface EndedSubscription {
  /** `ended` now; `already` ended before (a replay: nothing more is taken). */
  readonly outcome: 'ended' | 'already' | 'not_found';
  /** Credits taken back by this call. */
  readonly taken: number;
  /** Credits the ended periods could not give back (spent, or held by running jobs until they finish). */
  readonly shortfall: number;
}

export interface TierSubscriptions {
  /**
   * Stores the subscription as described now (create, renewal, cancellation, plan change) and
   * returns it as it was before (null: new). A subscription that ended stays ended.
   */
  record(subscription: SubscriptionRecord): Promise<{ readonly stored: StoredSubscription; readonly previous: StoredSubscription | null }>;
  /** Records a paid period once per reference; a user-level subscription's is granted to its buyer at once. */
  recordPaidPeriod(subscriptionId: string, period: PaidPeriod): Promise<RecordedPeriod>;
  /** Ends the tier (and takes back what is due), once. */
  end(input: EndSubscription): Promise<EndedSubscription>;
  find(source: SubscriptionSource, externalId: string): Promise<StoredSubscription | null>;
  /** The member's live subscriptions (their own and their server's), as the tier decision reads them. */
  live(userId: string, guildId: string, now: Date): Promise<MemberSubscription[]>;
}
