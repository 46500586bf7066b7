// Spending limits decided in confirm_quote (migration *_spending_limits), hammered concurrently
// against the real PostgreSQL: member caps, the server budget and its alerts, one Relax job at a
// time, and free Relax jobs that hold nothing. A refused confirm moves no credit.
import { describe, expect, it } from 'vitest';
import { createBudgetAlertOutbox } from '../../../src/db/budget-alert-outbox.js';
import { createSqlAdminCredits } from '../../../src/ledger/sql-admin-credits.js';
import { deliverBudgetAlerts } from '../../../src/use-cases/deliver-budget-alerts.js';
import type { Lane } from '../../../src/domain/pricing/card-terms.js';
import type { SpendingCaps } from '../../../src/domain/spending/server-caps.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, fund, newMember, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(3);
let guildSequence = 0;
const newGuild = () => `guild-limits-${process.pid}-${++guildSequence}`;

interface QuoteOptions {
  lane?: Lane;
  listPrice?: number;
  providerUsd?: number;
  count?: number;
}

const makeQuote = (userId: string, guildId: string, price: number, options: QuoteOptions = {}) =>
  f.jobs.createQuote({
    userId,
    guildId,
    channelId: 'channel-1',
    request: aRequest({ count: options.count ?? 1, ...(options.lane ? { lane: options.lane } : {}) }),
    breakdown: {},
    price,
    tierName: 'starter',
    expiresAt: new Date(Date.now() + 600_000),
    ...(options.listPrice !== undefined ? { listPrice: options.listPrice } : {}),
    ...(options.providerUsd !== undefined ? { providerUsd: options.providerUsd } : {}),
  });

const confirm = (quoteId: string, userId: string, serverCaps?: SpendingCaps) =>
  f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000), ...(serverCaps ? { serverCaps } : {}) });

const finish = (jobId: string, delivered: number) =>
  f.credits.finish(jobId, {
    delivered,
    failureReason: delivered === 0 ? 'test failure' : null,
    memberMessage: null,
    providerCostUsd: null,
    predictTimeSeconds: null,
  });

/** The ledger rows of a member: a refused confirm must add none. */
async function ledgerRowsOf(userId: string): Promise<number> {
  const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1`, [userId]);
  return rows[0].n;
}

async function setMemberCaps(userId: string, guildId: string, daily: number | null, monthly: number | null): Promise<void> {
  await f.database.sql.query(`INSERT INTO member_settings (user_id, guild_id, daily_cap, monthly_cap) VALUES ($1, $2, $3, $4)`, [
    userId,
    guildId,
    daily,
    monthly,
  ]);
}

async function setBudget(guildId: string, budget: { credits: number } | { usd: number }): Promise<void> {
  await f.database.sql.query(`INSERT INTO guild_budget (guild_id, monthly_credits, monthly_usd, set_by, set_by_operator) VALUES ($1, $2, $3, 'owner', true)`, [
    guildId,
    'credits' in budget ? budget.credits : null,
    'usd' in budget ? budget.usd : null,
  ]);
}

async function alertsOf(guildId: string): Promise<{ threshold: number; spent: string }[]> {
  const { rows } = await f.database.sql.query(`SELECT threshold, spent::text FROM budget_alert WHERE guild_id = $1 ORDER BY threshold`, [guildId]);
  return rows;
}

describe('free Relax jobs (0 credits)', () => {
  it('confirms a 0-credit Relax quote into a job without a hold, and finishing, timing out and refunding it settle nothing', async () => {
    const userId = newMember();
    const guildId = newGuild();
    const done = await confirm(await makeQuote(userId, guildId, 0, { lane: 'relax', listPrice: 8 }), userId);
    expect(done).toMatchObject({ ok: true, value: { price: 0, replayed: false } });
    if (!done.ok) return;
    const { rows } = await f.database.sql.query(`SELECT hold_id, lane, list_price FROM generation_job WHERE id = $1`, [done.value.jobId]);
    expect(rows[0]).toEqual({ hold_id: null, lane: 'relax', list_price: 8 });
    expect(await finish(done.value.jobId, 1)).toEqual({ status: 'succeeded', charged: 0, refunded: 0, replayed: false });
    expect(await finish(done.value.jobId, 1)).toMatchObject({ replayed: true, charged: 0 });
    const refund = await createSqlAdminCredits(f.database.db.pool).refundJob({
      jobId: done.value.jobId,
      guildId,
      actorId: 'owner',
      reason: 'r',
      dailyCap: null,
      uncappedActorIds: ['owner'],
    });
    expect(refund).toMatchObject({ ok: true, value: { outcome: 'nothing_charged' } });

    // Timed out: the reaper's path through finish_job, with nothing to give back.
    const second = await confirm(await makeQuote(userId, guildId, 0, { lane: 'relax' }), userId);
    if (!second.ok) throw new Error('second relax job refused');
    await f.database.sql.query(`UPDATE generation_job SET deadline_at = now() - interval '1 minute' WHERE id = $1`, [second.value.jobId]);
    expect(await f.credits.timeOut(second.value.jobId, 'took too long')).toEqual({ kind: 'timed_out', charged: 0, refunded: 0 });
    expect(await ledgerRowsOf(userId)).toBe(0);
    await expectLedgerConsistent(f.database);
  });

  it('refuses a 0-credit quote in any lane but Relax', async () => {
    await expect(makeQuote(newMember(), newGuild(), 0, { lane: 'fast' })).rejects.toThrow(/quote_price_check/);
    await expect(makeQuote(newMember(), newGuild(), 0)).rejects.toThrow(/quote_price_check/);
  });
});

describe('one Relax job at a time per member', () => {
  it('refuses a second Relax confirm while one is queued or running, in any server, moving nothing', async () => {
    const userId = newMember();
    const [guildA, guildB] = [newGuild(), newGuild()];
    await fund(f, userId, 100, guildB);
    const first = await confirm(await makeQuote(userId, guildA, 0, { lane: 'relax' }), userId);
    expect(first.ok).toBe(true);
    const rowsBefore = await ledgerRowsOf(userId);
    expect(await confirm(await makeQuote(userId, guildB, 5, { lane: 'relax' }), userId)).toEqual({ ok: false, error: { code: 'relax_busy' } });
    expect(await ledgerRowsOf(userId)).toBe(rowsBefore);
    expect((await f.ledger.balance(userId, guildB)).available).toBe(100);
    // Other lanes are not limited by it.
    expect((await confirm(await makeQuote(userId, guildB, 5, { lane: 'fast' }), userId)).ok).toBe(true);
    // Once the Relax job ends, the next one may go.
    if (first.ok) await finish(first.value.jobId, 1);
    expect((await confirm(await makeQuote(userId, guildB, 5, { lane: 'relax' }), userId)).ok).toBe(true);
    await expectLedgerConsistent(f.database);
  });

  it('lets exactly one of 12 concurrent Relax confirms through', async () => {
    const userId = newMember();
    const guildId = newGuild();
    await fund(f, userId, 1000, guildId);
    const quotes = await Promise.all(Array.from({ length: 12 }, (_, i) => makeQuote(userId, guildId, i % 2 === 0 ? 0 : 3, { lane: 'relax' })));
    const results = await Promise.all(quotes.map((quoteId) => confirm(quoteId, userId)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'relax_busy')).toHaveLength(11);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM generation_job WHERE user_id = $1`, [userId]);
    expect(rows[0].n).toBe(1);
    await expectLedgerConsistent(f.database);
  });
});

describe('member caps', () => {
  it('20 concurrent confirms never hold more than the daily cap; the refused ones move nothing and say which cap', async () => {
    const userId = newMember();
    const guildId = newGuild();
    await fund(f, userId, 1000, guildId);
    await setMemberCaps(userId, guildId, 50, null);
    const quotes = await Promise.all(Array.from({ length: 20 }, () => makeQuote(userId, guildId, 7)));
    const results = await Promise.all(quotes.map((quoteId) => confirm(quoteId, userId)));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    const refused = results.filter((r) => !r.ok).map((r) => !r.ok && r.error);
    expect(refused).toEqual(Array(13).fill({ code: 'cap_reached', period: 'day', source: 'member', limit: 50, spent: 49, price: 7 }));
    const balance = await f.ledger.balance(userId, guildId);
    expect(balance.held).toBe(49);
    expect(balance.available).toBe(1000 - 49);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1`, [userId]);
    expect(rows[0].n).toBe(7);
    await expectLedgerConsistent(f.database);
  });

  it('counts what jobs charged: a failed job gives its share of the cap back, a partial one keeps its delivered share', async () => {
    const userId = newMember();
    const guildId = newGuild();
    await fund(f, userId, 1000, guildId);
    await setMemberCaps(userId, guildId, null, 20);
    const a = await confirm(await makeQuote(userId, guildId, 10), userId);
    const b = await confirm(await makeQuote(userId, guildId, 10, { count: 2 }), userId);
    if (!a.ok || !b.ok) throw new Error('confirm refused');
    expect(await confirm(await makeQuote(userId, guildId, 1), userId)).toMatchObject({ ok: false, error: { code: 'cap_reached', period: 'month', spent: 20 } });
    await finish(a.value.jobId, 0); // failed: 0
    await finish(b.value.jobId, 1); // partial: 5 of 10
    expect(await confirm(await makeQuote(userId, guildId, 16), userId)).toMatchObject({ ok: false, error: { code: 'cap_reached', spent: 5, limit: 20 } });
    expect((await confirm(await makeQuote(userId, guildId, 15), userId)).ok).toBe(true);
    await expectLedgerConsistent(f.database);
  });

  it("applies the stricter of the member's own cap and the server's, and caps only this server", async () => {
    const userId = newMember();
    const [guildId, other] = [newGuild(), newGuild()];
    await fund(f, userId, 1000, guildId);
    await fund(f, userId, 1000, other);
    await setMemberCaps(userId, guildId, 100, null);
    const serverCaps = { daily: 30, monthly: null };
    expect((await confirm(await makeQuote(userId, guildId, 30), userId, serverCaps)).ok).toBe(true);
    expect(await confirm(await makeQuote(userId, guildId, 1), userId, serverCaps)).toEqual({
      ok: false,
      error: { code: 'cap_reached', period: 'day', source: 'server', limit: 30, spent: 30, price: 1 },
    });
    // Another server's jobs count nothing here, and its caps are its own.
    expect((await confirm(await makeQuote(userId, other, 500), userId)).ok).toBe(true);
    // A free Relax job passes every cap (it spends nothing).
    expect((await confirm(await makeQuote(userId, guildId, 0, { lane: 'relax' }), userId, { daily: 0, monthly: 0 })).ok).toBe(true);
    await expectLedgerConsistent(f.database);
  });
});

describe('the server budget', () => {
  it('20 concurrent confirms by 20 members stop at the budget and write the 80% and 100% alerts exactly once', async () => {
    const guildId = newGuild();
    await setBudget(guildId, { credits: 900 });
    const members = Array.from({ length: 20 }, () => newMember());
    await Promise.all(members.map((userId) => fund(f, userId, 100, guildId)));
    const quotes = await Promise.all(members.map((userId) => makeQuote(userId, guildId, 50)));
    const results = await Promise.all(quotes.map((quoteId, i) => confirm(quoteId, members[i]!)));
    expect(results.filter((r) => r.ok)).toHaveLength(18);
    const refused = results.filter((r) => !r.ok).map((r) => !r.ok && r.error);
    expect(refused).toEqual(Array(2).fill({ code: 'budget_reached', unit: 'credits', budget: 900, spent: 900 }));
    // Each refused member: untouched.
    const untouched = await Promise.all(members.map(async (userId) => (await f.ledger.balance(userId, guildId)).available === 100));
    expect(untouched.filter(Boolean)).toHaveLength(2);
    expect(await alertsOf(guildId)).toEqual([
      { threshold: 80, spent: '750.00' },
      { threshold: 100, spent: '900.00' },
    ]);
    await expectLedgerConsistent(f.database);
  });

  it('counts the list price (Relax costs the operator too), a failed job as 0 and a partial one by its delivered share', async () => {
    const guildId = newGuild();
    await setBudget(guildId, { credits: 100 });
    const [relaxer, payer] = [newMember(), newMember()];
    await fund(f, payer, 1000, guildId);
    const relax = await confirm(await makeQuote(relaxer, guildId, 0, { lane: 'relax', listPrice: 40 }), relaxer);
    const paid = await confirm(await makeQuote(payer, guildId, 40, { count: 4 }), payer);
    if (!relax.ok || !paid.ok) throw new Error('confirm refused');
    expect(await alertsOf(guildId)).toEqual([{ threshold: 80, spent: '80.00' }]);
    expect(await confirm(await makeQuote(payer, guildId, 21), payer)).toMatchObject({ ok: false, error: { code: 'budget_reached', spent: 80 } });
    // The refusal is the 100% alert: the budget now stops jobs.
    expect((await alertsOf(guildId)).map((a) => a.threshold)).toEqual([80, 100]);
    await finish(relax.value.jobId, 0);
    await finish(paid.value.jobId, 1); // 1 of 4 delivered: 10 of 40
    expect((await confirm(await makeQuote(payer, guildId, 90), payer)).ok).toBe(true);
    expect(await confirm(await makeQuote(payer, guildId, 1), payer)).toMatchObject({ ok: false, error: { code: 'budget_reached', spent: 100 } });
    // Still one row per threshold this month.
    expect(await alertsOf(guildId)).toHaveLength(2);
    await expectLedgerConsistent(f.database);
  });

  it('in dollars counts the provider estimate stored with each quote; other servers are not affected', async () => {
    const [guildId, other] = [newGuild(), newGuild()];
    await setBudget(guildId, { usd: 1 });
    const userId = newMember();
    await fund(f, userId, 1000, guildId);
    await fund(f, userId, 1000, other);
    expect((await confirm(await makeQuote(userId, guildId, 5, { providerUsd: 0.6 }), userId)).ok).toBe(true);
    expect(await confirm(await makeQuote(userId, guildId, 5, { providerUsd: 0.5 }), userId)).toMatchObject({
      ok: false,
      error: { code: 'budget_reached', unit: 'usd', budget: 1, spent: 0.6 },
    });
    expect((await confirm(await makeQuote(userId, guildId, 5, { providerUsd: 0.4 }), userId)).ok).toBe(true);
    expect((await confirm(await makeQuote(userId, other, 500, { providerUsd: 50 }), userId)).ok).toBe(true);
    expect(await alertsOf(other)).toEqual([]);
    await expectLedgerConsistent(f.database);
  });
});

describe('the budget-alert outbox', () => {
  it('four deliverers racing send each alert once; a failed send is retried after its lease, then marked sent', async () => {
    const guilds = Array.from({ length: 6 }, () => newGuild());
    for (const guildId of guilds)
      await f.database.sql.query(
        `INSERT INTO budget_alert (guild_id, month, threshold, unit, budget, spent) VALUES ($1, '2026-12-01', 80, 'credits', 100, 80)`,
        [guildId],
      );
    const sent: string[] = [];
    let failOnce = guilds[0];
    const notifier = {
      send: async (alert: { guildId: string }) => {
        if (alert.guildId === failOnce) {
          failOnce = undefined;
          throw new Error('Missing Access');
        }
        sent.push(alert.guildId);
      },
      announceAlertChannel: async () => 'announced' as const,
    };
    const outbox = createBudgetAlertOutbox(f.database.db.pool);
    const round = () => deliverBudgetAlerts({ outbox, notifier, spendingLimits: { alertChannel: async () => null }, leaseMs: 200 });
    await Promise.all([round(), round(), round(), round()]);
    expect(sent.filter((id) => guilds.includes(id)).sort()).toEqual(guilds.slice(1).sort());
    // Within its lease the failed one waits; after it, it goes.
    await round();
    expect(sent.filter((id) => id === guilds[0])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await Promise.all([round(), round()]);
    expect(sent.filter((id) => guilds.includes(id)).sort()).toEqual([...guilds].sort());
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS n FROM budget_alert WHERE guild_id = ANY($1) AND sent_at IS NULL`, [guilds]);
    expect(rows[0].n).toBe(0);
  });
});

describe('budget, caps and Relax together under load', () => {
  it('60 members confirming and finishing at once never take the month past the budget; one alert per threshold; the ledger stays exact', async () => {
    const guildId = newGuild();
    await setBudget(guildId, { credits: 500 });
    const members = Array.from({ length: 60 }, () => newMember());
    await Promise.all(members.map((userId) => fund(f, userId, 100, guildId)));
    // Each member caps themself at 15 a day; every third job is Relax (free, list price 9).
    await Promise.all(members.map((userId) => setMemberCaps(userId, guildId, 15, null)));
    const outcomes = await Promise.all(
      members.map(async (userId, i) => {
        const results = [];
        for (let n = 0; n < 3; n++) {
          const relax = (i + n) % 3 === 0;
          const result = await confirm(await makeQuote(userId, guildId, relax ? 0 : 6, relax ? { lane: 'relax', listPrice: 9 } : {}), userId);
          results.push(result.ok ? 'ok' : result.error.code);
          // Half the jobs fail at once: their cost comes back to the budget and the cap.
          if (result.ok && n % 2 === 0) await finish(result.value.jobId, (i % 2) as 0 | 1);
        }
        return results;
      }),
    );
    const codes = outcomes.flat();
    expect(codes.every((code) => ['ok', 'cap_reached', 'budget_reached', 'relax_busy'].includes(code))).toBe(true);
    expect(codes).toContain('budget_reached');
    const { rows } = await f.database.sql.query(`SELECT guild_operator_spent_since($1, '2000-01-01', 'credits')::float AS spent`, [guildId]);
    expect(rows[0].spent).toBeLessThanOrEqual(500);
    const caps = await f.database.sql.query(
      `SELECT user_id, member_spent_since(user_id, $1, '2000-01-01') AS spent FROM generation_job WHERE guild_id = $1 GROUP BY user_id HAVING member_spent_since(user_id, $1, '2000-01-01') > 15`,
      [guildId],
    );
    expect(caps.rows).toEqual([]);
    const relaxBusy = await f.database.sql.query(
      `SELECT user_id FROM generation_job WHERE guild_id = $1 AND lane = 'relax' AND status IN ('queued', 'running') GROUP BY user_id HAVING count(*) > 1`,
      [guildId],
    );
    expect(relaxBusy.rows).toEqual([]);
    expect((await alertsOf(guildId)).map((alert) => alert.threshold)).toEqual([80, 100]);
    await expectLedgerConsistent(f.database);
  });
});
