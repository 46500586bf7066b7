// What a server budget costs a confirm: confirms per second in a server with a monthly budget
// against one without, each after the same month of jobs, in the same run. The budget check sums
// the server's jobs of the month under the server's lock (confirm_quote, *_spending_limits), so
// its cost grows with the month's jobs: these figures say how much, for whoever decides whether a
// running total is worth its complexity.
import { createDatabase } from '../src/db/client.js';
import { createPgJobStore } from '../src/db/job-store.js';
import type { JobRequest } from '../src/domain/jobs/job-request.js';
import { createSqlJobCredits } from '../src/ledger/sql-job-credits.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { median, printTable, type Results } from './measure.js';

const request = (i: number): JobRequest => ({
  model: 'flux-schnell',
  providerModelId: 'black-forest-labs/flux-schnell',
  operation: 'txt2img',
  prompt: `budget bench ${i}`,
  width: 256,
  height: 256,
  steps: 4,
  count: 1,
  seed: i,
});

export async function benchBudget(
  databaseUrl: string,
  options: { monthJobs: number; confirms: number; concurrency: number; rounds: number },
): Promise<Results> {
  const db = createDatabase({ url: databaseUrl, poolSize: options.concurrency + 2 });
  const ledger = createSqlLedger(db.pool);
  const jobs = createPgJobStore(db);
  const credits = createSqlJobCredits(db.pool);
  const members = Array.from({ length: 200 }, (_, i) => `bench-budget-member-${i}`);
  const guildOf = { noBudget: 'bench-budget-none', withBudget: 'bench-budget-set' } as const;
  await db.pool.query(`INSERT INTO guild_budget (guild_id, monthly_credits, set_by, set_by_operator) VALUES ($1, 100000000, 'bench', true)`, [
    guildOf.withBudget,
  ]);
  for (const guildId of Object.values(guildOf)) {
    for (const userId of members) {
      await ledger.grant({
        key: `bench-budget:${userId}:${guildId}`,
        userId,
        guildId,
        kind: 'grant',
        amount: 10_000_000,
        expiresAt: null,
        actorId: 'bench',
        reason: 'bench',
      });
    }
  }
  let sequence = 0;
  /** Quotes first, then confirms `concurrency` at a time (each member once per wave); returns confirms per second. */
  async function confirmMany(guildId: string, count: number): Promise<number> {
    const quotes = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const userId = members[i % members.length]!;
        return jobs
          .createQuote({
            userId,
            guildId,
            channelId: 'bench',
            request: request(++sequence),
            breakdown: {},
            price: 2,
            tierName: 'none',
            expiresAt: new Date(Date.now() + 3_600_000),
          })
          .then((quoteId) => ({ quoteId, userId }));
      }),
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < quotes.length) {
          const { quoteId, userId } = quotes[next++]!;
          const confirmed = await credits.confirmQuote({ quoteId, userId, priority: 110, deadlineAt: new Date(Date.now() + 3_600_000) });
          if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  }
  // The month so far: the same number of queued jobs in both servers (queued jobs count in full).
  for (const guildId of Object.values(guildOf)) await confirmMany(guildId, options.monthJobs);
  const rates: Record<keyof typeof guildOf, number[]> = { noBudget: [], withBudget: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const key of ['noBudget', 'withBudget'] as const) rates[key].push(await confirmMany(guildOf[key], options.confirms));
  }
  const c = `c${options.concurrency}`;
  const results: Results = {
    'budget.monthJobs': options.monthJobs,
    [`budget.confirm.${c}.perSec.noBudget`]: median(rates.noBudget),
    [`budget.confirm.${c}.perSec.withBudget`]: median(rates.withBudget),
  };
  results[`budget.confirm.${c}.ratioToNoBudget`] = results[`budget.confirm.${c}.perSec.withBudget`]! / results[`budget.confirm.${c}.perSec.noBudget`]!;
  printTable(
    `Confirms per second in one server, ${options.concurrency} at a time, after ${options.monthJobs} jobs this month (median of ${options.rounds})`,
    ['server', 'confirms/s'],
    [
      ['no budget', results[`budget.confirm.${c}.perSec.noBudget`]!.toFixed(0)],
      ['monthly budget', results[`budget.confirm.${c}.perSec.withBudget`]!.toFixed(0)],
      ['ratio', results[`budget.confirm.${c}.ratioToNoBudget`]!.toFixed(2)],
    ],
  );
  await db.close();
  return results;
}
