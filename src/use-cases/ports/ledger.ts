import type { LedgerError } from '../../domain/credits/ledger-errors.js';
import type { LotKind } from '../../domain/credits/lots.js';
import type { Result } from '../../domain/result.js';

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

export interface PeriodGrantInput {
  readonly userId: UserId;
  readonly guildId: GuildId;
  /** e.g. `2026-11-22` for a day, `2026-W47` for a week (see domain/tiers). */
  readonly periodKey: string;
  readonly expiresAt: Date;
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

/** The only way credits are created, moved or destroyed. Every method is idempotent. */
export interface Ledger {
  grant(input: GrantInput): Promise<Result<Granted, LedgerError>>;
  /** The guild's free daily credits for this member, once per day (lazy: call on first use). */
  grantDailyFree(input: PeriodGrantInput & { readonly amount: number }): Promise<Result<Granted | null, LedgerError>>;
  /**
   * The tier's allowance for the period, once; after an upgrade in the same period, the difference.
   * Returns null when nothing was due.
   */
  grantTierAllowance(
    input: PeriodGrantInput & { readonly tierName: string; readonly allowance: number },
  ): Promise<Result<Granted | null, LedgerError>>;
  hold(input: HoldInput): Promise<Result<Hold, LedgerError>>;
  settle(input: SettleInput): Promise<Result<Settlement, LedgerError>>;
  revoke(input: RevokeInput): Promise<Result<Revoked, LedgerError>>;
  expire(limit?: number): Promise<ExpirySweep>;
  balance(userId: UserId, guildId: GuildId): Promise<Balance>;
  /** The member's purchased top-up credits spendable now; global, the same in every guild. */
  topupBalance(userId: UserId): Promise<number>;
}
