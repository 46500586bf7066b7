// Sold plans and their paid periods, on the ledger's pool: the rows that authorise subscription
// credits (see prisma/migrations/20261206090000_tier_subscriptions). Credits move only in the
// ledger's SQL functions: a paid period is granted by ledger_grant_subscription_period, taken
// back by ledger_end_subscription.
import type pg from 'pg';
import { query as run } from '../db/sql.js';
import type { PlanInterval } from '../domain/pricing/card-terms.js';
import type { EndedSubscription, RecordedPeriod, StoredSubscription, SubscriptionSource, TierSubscriptions } from '../use-cases/ports/tier-subscriptions.js';
import { toMemberSubscription, type SubscriptionJson } from './subscription-rows.js';

type SubscriptionRow = {
  id: string;
  source: SubscriptionSource;
  external_id: string;
  user_id: string;
  guild_id: string | null;
  tier_name: string;
  renewal_tier_name: string | null;
  plan_interval: PlanInterval;
  current_period_start: Date;
  current_period_end: Date;
  status: 'active' | 'ending' | 'ended';
};

const toStored = (row: SubscriptionRow): StoredSubscription => ({
  id: row.id,
  source: row.source,
  externalId: row.external_id,
  userId: row.user_id,
  guildId: row.guild_id,
  tierName: row.tier_name,
  renewalTierName: row.renewal_tier_name,
  interval: row.plan_interval,
  periodStart: row.current_period_start,
  periodEnd: row.current_period_end,
  status: row.status === 'ended' ? 'ending' : row.status,
  ended: row.status === 'ended',
});

const subscriptionId = (source: SubscriptionSource, externalId: string): string => `${source}:${externalId}`;

export function createSqlTierSubscriptions(pool: pg.Pool): TierSubscriptions {
  return {
    async record(subscription) {
      const id = subscriptionId(subscription.source, subscription.externalId);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const before = await client.query<SubscriptionRow>('SELECT * FROM tier_subscription WHERE id = $1 FOR UPDATE', [id]);
        // An ended subscription stays ended, and an event older than what is stored (events come
        // out of order, and reconciling at start re-reads what the events said) changes nothing.
        const after = await client.query<SubscriptionRow>(
          `INSERT INTO tier_subscription AS s (id, source, external_id, user_id, guild_id, tier_name, renewal_tier_name, plan_interval,
                                               current_period_start, current_period_end, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (id) DO UPDATE SET
             tier_name = excluded.tier_name, renewal_tier_name = excluded.renewal_tier_name, plan_interval = excluded.plan_interval,
             current_period_start = excluded.current_period_start, current_period_end = excluded.current_period_end,
             status = excluded.status, guild_id = coalesce(s.guild_id, excluded.guild_id), updated_at = now()
           WHERE s.status <> 'ended' AND excluded.current_period_start >= s.current_period_start
           RETURNING *`,
          [
            id,
            subscription.source,
            subscription.externalId,
            subscription.userId,
            subscription.guildId,
            subscription.tierName,
            subscription.renewalTierName,
            subscription.interval,
            subscription.periodStart,
            subscription.periodEnd,
            subscription.status,
          ],
        );
        // Unchanged (ended, or an older description): what is stored, as a concurrent event may have left it.
        const stored = after.rows[0] ?? (await client.query<SubscriptionRow>('SELECT * FROM tier_subscription WHERE id = $1', [id])).rows[0]!;
        await client.query('COMMIT');
        return { stored: toStored(stored), previous: before.rows[0] ? toStored(before.rows[0]) : null };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async recordPaidPeriod(subscriptionId, period) {
      const [inserted] = await run<{ id: string }>(
        pool,
        `
        INSERT INTO tier_subscription_period (subscription_id, reference, tier_name, credits, period_start, period_end, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (reference) DO NOTHING
        RETURNING id`,
        [subscriptionId, period.reference, period.tierName, period.credits, period.periodStart, period.periodEnd, period.expiresAt],
      );
      // Recorded before — or by a concurrent event, whose row this statement's snapshot could not
      // see: read it in a statement of its own.
      const row = inserted
        ? { id: inserted.id, created: true }
        : { id: (await run<{ id: string }>(pool, 'SELECT id FROM tier_subscription_period WHERE reference = $1', [period.reference]))[0]!.id, created: false };
      const periodId = BigInt(row.id);
      // A user-level plan's credits go to its buyer now; a guild's reach each member when they next
      // use the bot there (ledger_grant_allowances), since the bot does not list a server's members.
      const [granted] = await run<{ outcome: string; amount: number }>(
        pool,
        `
        SELECT g.outcome, g.amount FROM tier_subscription s, ledger_grant_subscription_period($2::bigint, s.user_id, NULL) g
         WHERE s.id = $1 AND s.guild_id IS NULL`,
        [subscriptionId, periodId],
      );
      const result: RecordedPeriod = { periodId, created: row.created, granted: granted?.outcome === 'created' ? granted.amount : 0 };
      return result;
    },

    async end(input) {
      const [row] = await run<{ outcome: EndedSubscription['outcome']; taken: number; shortfall: number }>(
        pool,
        `
        SELECT * FROM ledger_end_subscription($1, $2::timestamptz, $3, $4::numeric, $5)`,
        [input.subscriptionId, input.endsAt, input.reason, input.takeBackFraction, input.key],
      );
      return { outcome: row!.outcome, taken: row!.taken, shortfall: row!.shortfall };
    },

    async find(source, externalId) {
      const [row] = await run<SubscriptionRow>(pool, 'SELECT * FROM tier_subscription WHERE id = $1', [subscriptionId(source, externalId)]);
      return row ? toStored(row) : null;
    },

    async live(userId, guildId, now) {
      const [row] = await run<{ subscriptions: SubscriptionJson[] }>(pool, 'SELECT ledger_member_subscriptions($1, $2, $3::timestamptz) AS subscriptions', [
        userId,
        guildId,
        now,
      ]);
      return row!.subscriptions.map(toMemberSubscription);
    },
  };
}
