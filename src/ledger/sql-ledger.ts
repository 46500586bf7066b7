// The ledger: the one module that writes credits. Each operation is one call to a SQL function
// (prisma/migrations/*_ledger_functions) so it is a single round trip, atomic, and decided by
// row locks and unique keys in PostgreSQL rather than by anything held in memory here — the time
// included: expiry is decided by the database's clock (ledger_now(), *_ledger_clock), never sent.
import type pg from 'pg';
import { query as run } from '../db/sql.js';
import type { AllowancePolicy } from '../domain/admin/grant-policy.js';
import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { lotKinds, restoreGraceMs, type LotKind } from '../domain/credits/lots.js';
import { err, ok, type Result } from '../domain/result.js';
import type {
  Balance,
  BucketBalance,
  Granted,
  GrantInput,
  Hold,
  HoldId,
  HoldInput,
  Ledger,
  PurchaseReversal,
  Revoked,
  RevokeInput,
  Settlement,
  SettleInput,
} from '../use-cases/ports/ledger.js';
import { toMemberSubscription, type SubscriptionJson } from './subscription-rows.js';
import { nonEmpty, nonNegativeCredits, positiveCredits, rule, validate, validDate } from './validate-input.js';

export interface LedgerOptions {
  /**
   * How long after its lot's expiry a refunded share of an expired lot stays spendable (once).
   * @defaultValue restoreGraceMs (1 hour, src/domain/credits/lots.ts)
   */
  readonly restoreGraceMs?: number;
  /**
   * What server admins may create (OWNER_IDS, GUILD_ADMIN_TIERS, GUILD_FREE_DAILY_MAX, the card's
   * tiers): ledger_grant_allowances checks every allowance against it. Only a ledger that grants
   * allowances (the bot's) needs one; grantAllowances without it is a wiring error and throws.
   */
  readonly allowancePolicy?: AllowancePolicy;
}

// pg returns int8 (bigint) columns as strings, to lose no precision.
type GrantRow = { outcome: 'created' | 'already'; lot_id: string | null; amount: number; expires_at: Date | null };

const toGranted = (row: GrantRow): Granted => ({
  lotId: BigInt(row.lot_id ?? 0),
  amount: row.amount,
  expiresAt: row.expires_at,
  replayed: row.outcome === 'already',
});

// ledger_balance: what running jobs hold (int8, a string) and the spendable credits per lot kind.
type BalanceRow = { held: string; buckets: { kind: LotKind; available: number; next_expiry: string | null }[] };
type AllowancesRow = BalanceRow & {
  free_outcome: 'created' | 'already' | null;
  free_lot_id: string | null;
  free_amount: number | null;
  free_expires_at: Date | null;
  tier_outcome: 'created' | 'already' | null;
  tier_lot_id: string | null;
  tier_amount: number | null;
  tier_expires_at: Date | null;
  welcome_amount: number;
  subscription_amount: number;
  subscriptions: SubscriptionJson[];
};

function toBalance(row: BalanceRow): Balance {
  const buckets = Object.fromEntries(lotKinds.map((kind) => [kind, { available: 0, nextExpiry: null }])) as Record<LotKind, BucketBalance>;
  let available = 0;
  for (const bucket of row.buckets) {
    buckets[bucket.kind] = { available: bucket.available, nextExpiry: bucket.next_expiry === null ? null : new Date(bucket.next_expiry) };
    available += bucket.available;
  }
  return { buckets, available, held: Number(row.held) };
}

/**
 * The ledger's call on every /imagine (allowances and the balance after them), for the start-up
 * warm-up (src/db/warm-up.ts), which runs it inside a transaction it rolls back.
 */
export const rehearseAllowancesCall = (client: pg.ClientBase, memberId: string) =>
  client.query(
    `
  SELECT * FROM ledger_grant_allowances($1, $1,
    $1, 1, now() + interval '1 day', $1,
    $1, $1, 1, now() + interval '1 day', now(), now() + interval '1 day', $2::jsonb)`,
    [
      memberId,
      policyJson({ ownerIds: [], adminTiers: 'all', freeDailyCeiling: 1, defaultTier: memberId, tierAllowances: { [memberId]: 1 }, welcomeCredits: 1 }),
    ],
  );

/** The policy as ledger_grant_allowances reads it (prisma/migrations/20261205090000_allowances_under_policy, *_tier_subscriptions). */
const policyJson = (policy: AllowancePolicy): string =>
  JSON.stringify({
    owner_ids: policy.ownerIds,
    admin_tiers: policy.adminTiers === 'all' ? null : policy.adminTiers,
    free_daily_ceiling: policy.freeDailyCeiling,
    default_tier: policy.defaultTier,
    tier_allowances: policy.tierAllowances,
    welcome_credits: policy.welcomeCredits,
  });

const maxInt4 = 2 ** 31 - 1;

export function createSqlLedger(pool: pg.Pool, options: LedgerOptions = {}): Ledger {
  const restoreGrace = options.restoreGraceMs ?? restoreGraceMs;
  const allowancePolicy = options.allowancePolicy === undefined ? null : policyJson(options.allowancePolicy);

  async function grant(input: GrantInput): Promise<Result<Granted, LedgerError>> {
    const checked = validate(
      nonEmpty('key', input.key),
      nonEmpty('userId', input.userId),
      positiveCredits('amount', input.amount),
      validDate('expiresAt', input.expiresAt),
      rule('kind', lotKinds.includes(input.kind), `must be one of ${lotKinds.join(', ')}`),
      rule('guildId', (input.kind === 'topup') === (input.guildId === null), 'must be null for top-ups (they are global) and set for every other kind'),
      nonEmpty('actorId', input.actorId),
    );
    if (!checked.ok) return checked;
    const [row] = await run<GrantRow>(
      pool,
      `
      SELECT * FROM ledger_grant($1, $2, $3, $4::lot_kind,
        $5::int, $6::timestamptz, NULL, NULL, $7, $8)`,
      [input.key, input.userId, input.guildId, input.kind, input.amount, input.expiresAt, input.actorId, input.reason],
    );
    return ok(toGranted(row!));
  }

  return {
    grant,

    async grantAllowances({ userId, guildId, free, tier }) {
      const checked = validate(
        nonEmpty('userId', userId),
        nonEmpty('guildId', guildId),
        ...(free
          ? [nonEmpty('free.periodKey', free.periodKey), nonNegativeCredits('free.amount', free.amount), validDate('free.expiresAt', free.expiresAt)]
          : []),
        ...(tier
          ? [
              nonEmpty('tier.periodKey', tier.periodKey),
              nonEmpty('tier.tierName', tier.tierName),
              nonNegativeCredits('tier.allowance', tier.allowance),
              validDate('tier.expiresAt', tier.expiresAt),
              validDate('tier.periodStart', tier.periodStart),
              validDate('tier.periodEnd', tier.periodEnd),
              rule('tier.periodEnd', tier.periodEnd.getTime() > tier.periodStart.getTime(), 'must be after periodStart'),
            ]
          : []),
      );
      if (!checked.ok) return checked;
      if (allowancePolicy === null) throw new Error('grantAllowances: this ledger was built without an allowancePolicy (createSqlLedger options)');
      const freeDue = free !== undefined && free.amount > 0;
      const tierDue = tier !== undefined && tier.allowance > 0;
      const [row] = await run<AllowancesRow>(
        pool,
        `
        SELECT * FROM ledger_grant_allowances($1, $2,
          $3, $4::int, $5::timestamptz, $6,
          $7, $8, $9::int, $10::timestamptz, $11::timestamptz, $12::timestamptz, $13::jsonb)`,
        [
          userId,
          guildId,
          freeDue ? `free:${guildId}:${userId}:${free.periodKey}` : null,
          freeDue ? free.amount : null,
          freeDue ? free.expiresAt : null,
          freeDue ? `free daily credits ${free.periodKey}` : null,
          tierDue ? tier.periodKey : null,
          tierDue ? tier.tierName : null,
          tierDue ? tier.allowance : null,
          tierDue ? tier.expiresAt : null,
          tierDue ? tier.periodStart : null,
          tierDue ? tier.periodEnd : null,
          allowancePolicy,
        ],
      );
      const granted = (outcome: string | null, lotId: string | null, amount: number | null, expiresAt: Date | null): Granted | null =>
        outcome === 'created' ? toGranted({ outcome, lot_id: lotId, amount: amount!, expires_at: expiresAt }) : null;
      return ok({
        free: granted(row!.free_outcome, row!.free_lot_id, row!.free_amount, row!.free_expires_at),
        tier: granted(row!.tier_outcome, row!.tier_lot_id, row!.tier_amount, row!.tier_expires_at),
        welcome: row!.welcome_amount,
        subscriptionCredits: row!.subscription_amount,
        subscriptions: row!.subscriptions.map(toMemberSubscription),
        balance: toBalance(row!),
      });
    },

    async reversePurchase(input) {
      const checked = validate(
        nonEmpty('key', input.key),
        nonEmpty('purchaseKey', input.purchaseKey),
        ...(input.targetCredits === 'all' ? [] : [nonNegativeCredits('targetCredits', input.targetCredits)]),
        nonEmpty('actorId', input.actorId),
      );
      if (!checked.ok) return checked;
      // The function never takes more than the purchase granted, so "all" is the largest target.
      const target = input.targetCredits === 'all' ? maxInt4 : input.targetCredits;
      const [row] = await run<{
        outcome: PurchaseReversal['outcome'] | 'not_found';
        user_id: string | null;
        taken: number;
        shortfall: number;
        remaining: number;
      }>(
        pool,
        `
        SELECT * FROM ledger_reverse_purchase($1, $2, $3::int, $4, $5)`,
        [input.key, input.purchaseKey, target, input.actorId, input.reason],
      );
      if (row!.outcome === 'not_found' || row!.user_id === null) return err({ code: 'purchase_not_found' as const, purchaseKey: input.purchaseKey });
      return ok({ outcome: row!.outcome, userId: row!.user_id, taken: row!.taken, shortfall: row!.shortfall, remaining: row!.remaining });
    },

    async restoreReversal(input) {
      const checked = validate(nonEmpty('reversalKey', input.reversalKey), nonEmpty('key', input.key), nonEmpty('actorId', input.actorId));
      if (!checked.ok) return checked;
      const [row] = await run<{ outcome: 'granted' | 'already' | 'nothing'; user_id: string | null; lot_id: string | null; amount: number }>(
        pool,
        `
        SELECT * FROM ledger_restore_reversal($1, $2, $3, $4)`,
        [input.reversalKey, input.key, input.actorId, input.reason],
      );
      if (row!.outcome === 'nothing' || row!.user_id === null) return ok(null);
      return ok({ lotId: BigInt(row!.lot_id ?? 0), amount: row!.amount, expiresAt: null, replayed: row!.outcome === 'already', userId: row!.user_id });
    },

    async hold(input: HoldInput): Promise<Result<Hold, LedgerError>> {
      const checked = validate(
        nonEmpty('key', input.key),
        nonEmpty('userId', input.userId),
        nonEmpty('guildId', input.guildId),
        positiveCredits('amount', input.amount),
        nonEmpty('actorId', input.actorId),
      );
      if (!checked.ok) return checked;
      const [row] = await run<{ outcome: string; hold_id: string | null; amount: number; available: number | null }>(
        pool,
        `
        SELECT * FROM ledger_hold($1, $2, $3, $4::int, $5, $6)`,
        [input.key, input.userId, input.guildId, input.amount, input.actorId, input.reason],
      );
      switch (row!.outcome) {
        case 'held':
        case 'already':
          return ok({ holdId: row!.hold_id as HoldId, amount: row!.amount, replayed: row!.outcome === 'already' });
        case 'insufficient':
          return err({ code: 'insufficient_credits', needed: input.amount, available: row!.available ?? 0 });
        default:
          return err({ code: 'idempotency_key_reused', key: input.key });
      }
    },

    async settle(input: SettleInput): Promise<Result<Settlement, LedgerError>> {
      const checked = validate(nonEmpty('holdId', input.holdId), nonNegativeCredits('capture', input.capture), nonEmpty('actorId', input.actorId));
      if (!checked.ok) return checked;
      if (!/^[0-9a-f-]{36}$/i.test(input.holdId)) return err({ code: 'hold_not_found', holdId: input.holdId });
      const [row] = await run<{ outcome: string; status: 'held' | 'captured' | 'refunded' | null; captured: number | null; refunded: number | null }>(
        pool,
        `
        SELECT * FROM ledger_settle($1::uuid, $2::int, $3, $4,
          $5::int * interval '1 millisecond')`,
        [input.holdId, input.capture, input.actorId, input.reason, restoreGrace],
      );
      const { outcome, status, captured, refunded } = row!;
      if (outcome === 'not_found') return err({ code: 'hold_not_found', holdId: input.holdId });
      if (outcome === 'invalid_amount' || status === 'held' || status === null) {
        return err({ code: 'invalid_input', field: 'capture', message: `capture must be at most the hold's amount (got ${input.capture})` });
      }
      const settlement = { holdId: input.holdId, status, captured: captured ?? 0, refunded: refunded ?? 0 };
      if (outcome === 'settled') return ok({ ...settlement, replayed: false });
      // The hold had ended already: the same request is a replay; a different one is refused.
      return settlement.captured === input.capture ? ok({ ...settlement, replayed: true }) : err({ code: 'already_settled', ...settlement });
    },

    async revoke(input: RevokeInput): Promise<Result<Revoked, LedgerError>> {
      const checked = validate(
        nonEmpty('key', input.key),
        nonEmpty('userId', input.userId),
        nonEmpty('guildId', input.guildId),
        positiveCredits('amount', input.amount),
        rule(
          'kinds',
          input.kinds.length > 0 && input.kinds.every((k) => k !== ('topup' as LotKind) && lotKinds.includes(k)),
          'must list lot kinds other than topup',
        ),
        nonEmpty('actorId', input.actorId),
      );
      if (!checked.ok) return checked;
      const [row] = await run<{ outcome: string; revoked: number; available: number | null }>(
        pool,
        `
        SELECT * FROM ledger_revoke($1, $2, $3, $4::int,
          $5::lot_kind[], $6, $7)`,
        [input.key, input.userId, input.guildId, input.amount, [...input.kinds], input.actorId, input.reason],
      );
      if (row!.outcome === 'insufficient') {
        return err({ code: 'nothing_to_revoke', kinds: input.kinds, available: row!.available ?? 0, requested: input.amount });
      }
      return ok({ revoked: row!.revoked, replayed: row!.outcome === 'already' });
    },

    async expire(limit = 1000) {
      const [row] = await run<{ lots: number; credits: number }>(pool, `SELECT * FROM ledger_expire($1::int)`, [limit]);
      return { lots: row!.lots, credits: row!.credits };
    },

    async balance(userId, guildId): Promise<Balance> {
      const [row] = await run<BalanceRow>(pool, `SELECT * FROM ledger_balance($1, $2)`, [userId, guildId]);
      return toBalance(row!);
    },

    async guildBalance(userId, guildId): Promise<Balance> {
      const [row] = await run<BalanceRow>(pool, `SELECT * FROM ledger_guild_balance($1, $2)`, [userId, guildId]);
      return toBalance(row!);
    },

    async topupBalance(userId) {
      const [row] = await run<{ available: string }>(
        pool,
        `
        SELECT coalesce(sum(remaining), 0) AS available FROM credit_lot
         WHERE user_id = $1 AND kind = 'topup' AND guild_id IS NULL
           AND remaining > 0 AND (expires_at IS NULL OR expires_at > ledger_now())`,
        [userId],
      );
      return Number(row?.available ?? 0);
    },
  };
}
