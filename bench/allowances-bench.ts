// What every /imagine and /balance pays before it reads a balance: ledger_grant_allowances — the
// one-time welcome grant, today's free credits, the paid periods of the member's plans, the role
// tier's allowance (less overlapping periods), all checked under the operator's policy — beside
// the bare balance read (ledger_balance) it ends with. The steady state is measured: each member
// was granted everything already, so the call only checks and reads. Half the members have a live
// weekly plan, as a server with subscribers would.
import { createDatabase } from '../src/db/client.js';
import { allowancePolicyFor, noGrants } from '../src/domain/admin/grant-policy.js';
import { dailyResetWindow, tierPeriodWindow } from '../src/domain/tier-periods.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { createSqlTierSubscriptions } from '../src/ledger/sql-tier-subscriptions.js';
import { loadPriceCardOrThrow } from '../src/pricing/load-price-card.js';
import { measureThroughput, median, printTable, type Results } from './measure.js';

const guildId = 'bench-allowances-guild';
const members = 1000;

export async function benchAllowances(databaseUrl: string, concurrencies: number[], seconds: number, rounds: number): Promise<Results> {
  const card = await loadPriceCardOrThrow();
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const now = new Date();
  const day = dailyResetWindow(now);
  const week = tierPeriodWindow('weekly', now);
  const input = (userId: string) => ({
    userId,
    guildId,
    free: { periodKey: day.key, expiresAt: day.end, amount: card.freeDailyCredits },
    // The default tier: no allowance, as for most members.
    tier: { periodKey: `weekly:${week.key}`, periodStart: week.start, periodEnd: week.end, expiresAt: week.end, tierName: 'none', allowance: 0 },
  });
  const userOf = (worker: number, iteration: number, concurrency: number) => `allowance-member-${(iteration * concurrency + worker) % members}`;

  const setup = createDatabase({ url: databaseUrl, poolSize: 16 });
  const seedLedger = createSqlLedger(setup.pool, { allowancePolicy: allowancePolicyFor(noGrants, card) });
  const plans = createSqlTierSubscriptions(setup.pool);
  for (let i = 0; i < members; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, async (_, j) => {
        const userId = `allowance-member-${i + j}`;
        if ((i + j) % 2 === 0) {
          const { stored } = await plans.record({
            source: 'stripe',
            externalId: `bench-${userId}`,
            userId,
            guildId: null,
            tierName: 'pro',
            renewalTierName: null,
            interval: 'week',
            periodStart: new Date(now.getTime() - 86_400_000),
            periodEnd: new Date(now.getTime() + 6 * 86_400_000),
            status: 'active',
          });
          await plans.recordPaidPeriod(stored.id, {
            reference: `bench:${userId}`,
            tierName: 'pro',
            credits: 450,
            periodStart: new Date(now.getTime() - 86_400_000),
            periodEnd: new Date(now.getTime() + 6 * 86_400_000),
            expiresAt: new Date(now.getTime() + 6 * 86_400_000),
          });
        }
        await seedLedger.grantAllowances(input(userId));
      }),
    );
  }
  await setup.close();

  for (const concurrency of concurrencies) {
    const db = createDatabase({ url: databaseUrl, poolSize: concurrency });
    const ledger = createSqlLedger(db.pool, { allowancePolicy: allowancePolicyFor(noGrants, card) });
    await Promise.all(Array.from({ length: concurrency }, () => db.pool.query('SELECT 1')));
    const operations: Record<'balance' | 'allowances', (userId: string) => Promise<unknown>> = {
      balance: (userId) => ledger.balance(userId, guildId),
      allowances: async (userId) => {
        const granted = await ledger.grantAllowances(input(userId));
        if (!granted.ok) throw new Error(`allowances refused: ${granted.error.code}`);
      },
    };
    const samples: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, operation] of Object.entries(operations)) {
        (samples[name] ??= []).push(await measureThroughput(concurrency, seconds, (worker, i) => operation(userOf(worker, i, concurrency))));
      }
    }
    const balance = median(samples['balance']!);
    const allowances = median(samples['allowances']!);
    results[`ledger.balance.c${concurrency}.perSec`] = balance;
    results[`ledger.allowances.c${concurrency}.perSec`] = allowances;
    results[`ledger.allowances.c${concurrency}.ratioToBalance`] = allowances / balance;
    rows.push([String(concurrency), balance, allowances, allowances / balance]);
    await db.close();
  }
  printTable(
    `Allowances per second (steady state: nothing left to grant; half the members on a plan; median of ${rounds} interleaved rounds of ${seconds}s)`,
    ['conc', 'balance read/s', 'allowances+balance/s', 'ratio'],
    rows,
  );
  return results;
}
