import type { LedgerError } from '../../domain/credits/ledger-errors.js';
import type { LotKind } from '../../domain/credits/lots.js';
import type { Result } from '../../domain/result.js';
import type { MemberSubscription } from '../../domain/subscriptions/tier-sources.js';

/** A Discord user id (snowflake) or another stable member id. */
export type UserId = string;
export type GuildId = string;
export type HoldId = string & { readonly __brand: 'HoldId' };

export interface GrantInput {
  /** Idempotency key of the grant: an entitlement id, a Stripe session, an interaction id… */
  readonly key: string;
  readonly userId: UserId;
  /** Required for every kind but `topup`, which is global and must not name a guild. */
  readonly guildId: GuildId | null;
  readonly kind: LotKind;
  readonly amount: number;
  readonly expiresAt: Date | null;
  readonly actorId: string;
  readonly reason: string;
}

export interface Granted {
  readonly lotId: bigint;
  readonly amount: number;
  readonly expiresAt: Date | null;
  /** true when the key had been used before: nothing was granted now. */
  readonly replayed: boolean;
}

export interface AllowancesInput {
  readonly userId: UserId;
  readonly guildId: GuildId;
  /** Today's free credits, once per period key; absent (or an amount of 0): none are due. */
  readonly free?: PeriodGrant & { readonly amount: number };
  /**
   * The tier's allowance for its period, once, less what any overlapping period already gave in
   * this guild (after an upgrade: the difference; a weekly then a monthly tier: never both in
   * full). Absent (or an allowance of 0): none is due.
   */
  readonly tier?: PeriodGrant & {
    readonly tierName: string;
    readonly allowance: number;
    /** The allowance period, [start, end): what overlapping is judged by. */
    readonly periodStart: Date;
    readonly periodEnd: Date;
  };
}

export interface PeriodGrant {
  /** e.g. `2026-11-22` for a day, `week:2026-W47` for a tier's week (see domain/tier-periods). */
  readonly periodKey: string;
  readonly expiresAt: Date;
}

export interface GrantedAllowances {
  /** What this call granted; null when nothing was due or it had been granted for the period. */
  readonly free: Granted | null;
  readonly tier: Granted | null;
  /** The one-time welcome credits granted by this call (0: not due, or given before). */
  readonly welcome: number;
  /** Credits of the member's (or their server's) paid subscription periods granted by this call. */
  readonly subscriptionCredits: number;
  /** The member's live subscriptions, their own and their server's: part of deciding their tier. */
  readonly subscriptions: readonly MemberSubscription[];
  /** The balance after the grants. */
  readonly balance: Balance;
}

export interface ReversePurchaseInput {
  /** This reversal's idempotency key, e.g. `refund:<charge>:<amount refunded>`, `dispute:<id>`. */
  readonly key: string;
  /** The purchase's grant key (its top-up lot's source), e.g. `stripe:<checkout session>`. */
  readonly purchaseKey: string;
  /**
   * How much of the purchase should have been taken back in total once this is done; `all` for
   * the whole purchase, whatever it granted (a withdrawn Discord purchase).
   */
  readonly targetCredits: number | 'all';
  readonly actorId: string;
  readonly reason: string;
}

export interface PurchaseReversal {
  /** `reversed`: took `taken` now; `already`: this key ran before; `nothing_due`: nothing to take now. */
  readonly outcome: 'reversed' | 'already' | 'nothing_due';
  readonly userId: UserId;
  /** Taken by this reversal (for `already`: so far, including held credits taken since as they came back). */
  readonly taken: number;
  /**
   * What the purchase still owes its reversals: credits the member spent (never taken from other
   * credits) or that running jobs hold (taken from the purchase if the jobs refund them).
   */
  readonly shortfall: number;
  /** What is left of the purchase's lot. */
  readonly remaining: number;
}

export interface RestoreReversalInput {
  /** The key the reversal ran under. */
  readonly reversalKey: string;
  /** The restoring grant's idempotency key. */
  readonly key: string;
  readonly actorId: string;
  readonly reason: string;
}

export interface HoldInput {
  readonly key: string;
  readonly userId: UserId;
  readonly guildId: GuildId;
  readonly amount: number;
  readonly actorId: string;
  readonly reason: string;
}

export interface Hold {
  readonly holdId: HoldId;
  readonly amount: number;
  readonly replayed: boolean;
}

export interface SettleInput {
  readonly holdId: HoldId;
  /** Credits to keep for what was delivered (0 = full refund, the hold's amount = full capture). */
  readonly capture: number;
  readonly actorId: string;
  readonly reason: string;
}

export interface Settlement {
  readonly holdId: HoldId;
  readonly status: 'captured' | 'refunded';
  readonly captured: number;
  readonly refunded: number;
  readonly replayed: boolean;
}

export interface RevokeInput {
  readonly key: string;
  readonly userId: UserId;
  readonly guildId: GuildId;
  readonly amount: number;
  /** Which lots an admin may take back; purchased top-ups are never revocable by a guild admin. */
  readonly kinds: readonly Exclude<LotKind, 'topup'>[];
  readonly actorId: string;
  readonly reason: string;
}

export interface Revoked {
  readonly revoked: number;
  readonly replayed: boolean;
}

export interface BucketBalance {
  readonly available: number;
  /** When the soonest of this bucket's credits expire; null if none expire. */
  readonly nextExpiry: Date | null;
}

export interface Balance {
  readonly buckets: Readonly<Record<LotKind, BucketBalance>>;
  /** Spendable now, across buckets. */
  readonly available: number;
  /** Reserved by this member's running jobs in this guild. */
  readonly held: number;
}

export interface ExpirySweep {
  readonly lots: number;
  readonly credits: number;
}

/**
 * Credits outside jobs: grants, allowances, purchases and their reversals, revokes, expiry,
 * balances. Every method is idempotent. With JobCredits (a job's hold, charge and refund) and
 * AdminCredits (capped gifts and refunds), implemented beside it in src/ledger/, these are the
 * only ways credits are created, moved or destroyed. `hold`/`settle` are the primitives the job
 * functions use inside their own transaction; the application holds through JobCredits.
 */
export interface Ledger {
  grant(input: GrantInput): Promise<Result<Granted, LedgerError>>;
  /**
   * What a member is due before they spend or see their balance (lazy: call on use) — the
   * guild's free daily credits and their tier's allowance — then their balance after it, in one
   * round trip and one transaction. Both are checked against the operator's policy where they
   * are created: free credits are lowered to the ceiling, and a tier allowance is refused (tier:
   * null) unless the tier is the default or this guild maps a role to it under the policy.
   */
  grantAllowances(input: AllowancesInput): Promise<Result<GrantedAllowances, LedgerError>>;
  /**
   * Takes back a purchase whose payment was reversed (refund, chargeback), towards a total target,
   * from the purchase's own lot and only what is left of it; what running jobs hold is taken when
   * it comes back to the lot. System-only: no admin path reaches it.
   */
  reversePurchase(
    input: ReversePurchaseInput,
  ): Promise<Result<PurchaseReversal, LedgerError | { readonly code: 'purchase_not_found'; readonly purchaseKey: string }>>;
  /**
   * Gives back what one reversal took (a chargeback won) to the purchase it was taken from, once,
   * and ends its claim on credits it was still owed; null when it took nothing. A later reversal
   * of the same purchase counts from there.
   */
  restoreReversal(input: RestoreReversalInput): Promise<Result<(Granted & { readonly userId: UserId }) | null, LedgerError>>;
  hold(input: HoldInput): Promise<Result<Hold, LedgerError>>;
  settle(input: SettleInput): Promise<Result<Settlement, LedgerError>>;
  revoke(input: RevokeInput): Promise<Result<Revoked, LedgerError>>;
  expire(limit?: number): Promise<ExpirySweep>;
  balance(userId: UserId, guildId: GuildId): Promise<Balance>;
  /**
   * What this guild gave the member (its free, tier and gifted lots) and what their jobs here
   * hold, without their global lots (plans, welcome credits, purchases), which are theirs across
   * every server: what a server admin may see of another member.
   */
  guildBalance(userId: UserId, guildId: GuildId): Promise<Balance>;
  /** The member's purchased top-up credits spendable now; global, the same in every guild. */
  topupBalance(userId: UserId): Promise<number>;
}
