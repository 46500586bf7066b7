// The running total of a budgeted server's month (migration *_budget_running_total): confirms add
// a job's operator cost, finishes take back what was not delivered, all under the server's lock.
// Whatever the interleaving, it must equal a recount of the jobs (guild_operator_spent_since).
import { describe, expect, it } from 'vitest';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { aRequest, fund, newMember, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(3);
let guildSequence = 0;
const newGuild = () => `guild-running-${process.pid}-${++guildSequence}`;

const setBudget = (guildId: string) =>
  f.database.sql.query(`INSERT INTO guild_budget (guild_id, monthly_credits, set_by, set_by_operator) VALUES ($1, 1000000, 'test', true)`, [guildId]);
const clearBudget = (guildId: string) => f.database.sql.query(`DELETE FROM guild_budget WHERE guild_id = $1`, [guildId]);

async function confirmJob(userId: string, guildId: string, i: number): Promise<string> {
  const quoteId = await f.jobs.createQuote({
    userId,
    guildId,
    channelId: 'channel-1',
    request: aRequest({ count: 3, prompt: `running total ${i}` }),
    breakdown: {},
    price: 6,
    tierName: 'starter',
    expiresAt: new Date(Date.now() + 600_000),
    // Every other job priced below its list price (a cheaper lane), every third with a dollar estimate.
    ...(i % 2 === 0 ? { listPrice: 9 } : {}),
    ...(i % 3 === 0 ? { providerUsd: 0.033 } : {}),
  });
  const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 110, deadlineAt: new Date(Date.now() + 600_000) });
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  return confirmed.value.jobId;
}

const finish = (jobId: string, delivered: number) =>
  f.credits.finish(jobId, {
    delivered,
    failureReason: delivered === 3 ? null : 'model_error',
    memberMessage: null,
    providerCostUsd: null,
    predictTimeSeconds: null,
  });

/** The stored total against a recount, in both units. */
async function totalAndRecount(guildId: string) {
  const { rows } = await f.database.sql.query<{ credits: string; usd: string; recount_credits: string; recount_usd: string }>(
    `SELECT s.spent_credits AS credits, s.spent_usd AS usd,
            guild_operator_spent_since($1, date_trunc('month', ledger_now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'credits') AS recount_credits,
            guild_operator_spent_since($1, date_trunc('month', ledger_now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'usd') AS recount_usd
       FROM guild_budget_spend s WHERE s.guild_id = $1`,
    [guildId],
  );
  return rows.map((row) => ({
    credits: Number(row.credits),
    usd: Number(row.usd),
    recountCredits: Number(row.recount_credits),
    recountUsd: Number(row.recount_usd),
  }));
}

function expectEqualToRecount(rows: Awaited<ReturnType<typeof totalAndRecount>>) {
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row!.recountCredits).toBeGreaterThan(0);
  // Each stored step is rounded to 8 decimals; a recount divides afresh.
  expect(Math.abs(row!.credits - row!.recountCredits)).toBeLessThan(1e-6);
  expect(Math.abs(row!.usd - row!.recountUsd)).toBeLessThan(1e-6);
}

describe("a budgeted server's running total", () => {
  it('equals a recount after concurrent confirms and finishes of every kind (all, some, none delivered)', async () => {
    const guildId = newGuild();
    await setBudget(guildId);
    const members = Array.from({ length: 20 }, () => newMember());
    for (const member of members) await fund(f, member, 1000, guildId);
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => confirmJob(members[i % 20]!, guildId, i)));
    // Finishes (3, 2, 1 or 0 of 3 images delivered) race 20 more confirms.
    await Promise.all([...first.map((jobId, i) => finish(jobId, i % 4)), ...Array.from({ length: 20 }, (_, i) => confirmJob(members[i]!, guildId, 100 + i))]);
    expectEqualToRecount(await totalAndRecount(guildId));
    await expectLedgerConsistent(f.database);
  });

  it('starts from the jobs already there when a budget is set mid-month, and again after it is cleared and set anew', async () => {
    const guildId = newGuild();
    const userId = newMember();
    await fund(f, userId, 1000, guildId);
    const before = [];
    for (let i = 0; i < 4; i++) before.push(await confirmJob(userId, guildId, i));
    await finish(before[0]!, 0);
    expect(await totalAndRecount(guildId)).toEqual([]); // no budget: no total kept

    await setBudget(guildId);
    await confirmJob(userId, guildId, 10);
    expectEqualToRecount(await totalAndRecount(guildId));

    // Cleared: the total goes; a finish meanwhile is not counted against a total that is gone.
    await clearBudget(guildId);
    expect(await totalAndRecount(guildId)).toEqual([]);
    await finish(before[1]!, 1);
    await setBudget(guildId);
    await confirmJob(userId, guildId, 11);
    expectEqualToRecount(await totalAndRecount(guildId));
    await finish(before[2]!, 2);
    expectEqualToRecount(await totalAndRecount(guildId));
  });
});
