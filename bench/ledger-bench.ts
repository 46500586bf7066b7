// Holds per second through the ledger (Prisma → one SQL function per operation) beside the same
// conditional debit written as one raw `pg` statement, at several concurrencies, on distinct
// wallets and on one hot wallet. Both sides use a pool as large as the concurrency.
import pg from 'pg';
import { createDatabase } from '../src/db/client.js';
import { allowancePolicyFor, noGrants } from '../src/domain/admin/grant-policy.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { loadPriceCardOrThrow } from '../src/pricing/load-price-card.js';
import type { Ledger } from '../src/use-cases/ports/ledger.js';
import { measureThroughput, median, printTable, type Results } from './measure.js';

const guildId = 'bench-guild';
const distinctWallets = 2000;
const hotWallet = 'hot-wallet';
const holdAmount = 3;

type Mode = 'distinct' | 'hot';
const walletFor = (mode: Mode, worker: number, iteration: number, concurrency: number) =>
  mode === 'hot' ? hotWallet : `wallet-${(iteration * concurrency + worker) % distinctWallets}`;

async function seed(ledger: Ledger, sql: pg.Pool): Promise<void> {
  const users = [...Array.from({ length: distinctWallets }, (_, i) => `wallet-${i}`), hotWallet];
  for (let i = 0; i < users.length; i += 200) {
    await Promise.all(
      users.slice(i, i + 200).flatMap((userId) => [
        // A realistic wallet: a small free lot that expires, and a large top-up.
        ledger.grantAllowances({ userId, guildId, free: { amount: 20, periodKey: 'bench', expiresAt: new Date(Date.now() + 86_400_000) } }),
        ledger.grant({
          key: `bench-topup:${userId}`,
          userId,
          guildId: null,
          kind: 'topup',
          amount: 90_000_000,
          expiresAt: null,
          actorId: 'bench',
          reason: 'seed',
        }),
      ]),
    );
  }
  await sql.query(
    `
    CREATE TABLE IF NOT EXISTS bench_wallet (id text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));
    CREATE TABLE IF NOT EXISTS bench_entry (id bigserial PRIMARY KEY, wallet_id text NOT NULL, amount int NOT NULL, idempotency_key text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO bench_wallet SELECT u, 90000000 FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING;`.replace(
      /\$1::text\[\]/,
      `ARRAY[${users.map((u) => `'${u}'`).join(',')}]`,
    ),
  );
}

export async function benchLedger(databaseUrl: string, concurrencies: number[], seconds: number, rounds: number): Promise<Results> {
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const setup = createDatabase({ url: databaseUrl, poolSize: 16 });
  const setupSql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // The bot's ledger grants allowances only under the operator's policy (issue 12).
  await seed(createSqlLedger(setup.pool, { allowancePolicy: allowancePolicyFor(noGrants, await loadPriceCardOrThrow()) }), setupSql);
  await setup.close();
  await setupSql.end();

  let run = 0;
  for (const concurrency of concurrencies) {
    const db = createDatabase({ url: databaseUrl, poolSize: concurrency });
    const ledger = createSqlLedger(db.pool);
    // The same function call through Prisma's $queryRaw, to show what the direct path saves.
    const viaPrisma = (key: string, userId: string) => db.prisma.$queryRaw`
      SELECT * FROM ledger_hold(${key}, ${userId}, ${guildId}, ${holdAmount}::int, ${userId}, 'bench')`;
    const raw = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
    // Open every connection before timing, for both sides alike.
    await Promise.all(Array.from({ length: concurrency }, () => db.prisma.$queryRaw`SELECT 1`));
    await Promise.all(Array.from({ length: concurrency }, () => raw.query('SELECT 1')));
    for (const mode of ['distinct', 'hot'] as const) {
      // Each operation gets a fresh idempotency key per call; wallets rotate on distinct mode.
      const operations: Record<string, (key: string, userId: string) => Promise<unknown>> = {
        rawPg: (key, userId) =>
          raw.query(
            `WITH debit AS (UPDATE bench_wallet SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING id)
           INSERT INTO bench_entry (wallet_id, amount, idempotency_key) SELECT id, -$1, $3 FROM debit`,
            [holdAmount, userId, key],
          ),
        hold: async (key, userId) => {
          const hold = await ledger.hold({ key, userId, guildId, amount: holdAmount, actorId: userId, reason: 'bench' });
          if (!hold.ok) throw new Error(`hold refused: ${hold.error.code}`);
        },
        holdCapture: async (key, userId) => {
          const hold = await ledger.hold({ key, userId, guildId, amount: holdAmount, actorId: userId, reason: 'bench' });
          if (!hold.ok) throw new Error(`hold refused: ${hold.error.code}`);
          const settled = await ledger.settle({ holdId: hold.value.holdId, capture: holdAmount, actorId: 'bench', reason: 'bench' });
          if (!settled.ok) throw new Error(`settle refused: ${settled.error.code}`);
        },
        holdViaPrisma: viaPrisma,
      };
      const samples: Record<string, number[]> = {};
      for (let round = 0; round < rounds; round++) {
        for (const [name, operation] of Object.entries(operations)) {
          const prefix = `r${++run}-${Date.now()}-${name}`;
          const perSec = await measureThroughput(concurrency, seconds, (worker, i) =>
            operation(`${prefix}-${worker}-${i}`, walletFor(mode, worker, i, concurrency)),
          );
          (samples[name] ??= []).push(perSec);
        }
      }
      const perSec = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)])) as Record<keyof typeof operations, number>;
      const key = `c${concurrency}.${mode}`;
      const rawPerSec = perSec['rawPg']!;
      results[`rawPg.debit.${key}.perSec`] = rawPerSec;
      for (const name of ['hold', 'holdCapture', 'holdViaPrisma']) {
        results[`ledger.${name}.${key}.perSec`] = perSec[name]!;
        results[`ledger.${name}.${key}.ratioToRawPg`] = perSec[name]! / rawPerSec;
      }
      rows.push([
        String(concurrency),
        mode,
        rawPerSec,
        perSec['hold']!,
        perSec['hold']! / rawPerSec,
        perSec['holdCapture']!,
        perSec['holdCapture']! / rawPerSec,
        perSec['holdViaPrisma']!,
        perSec['holdViaPrisma']! / rawPerSec,
      ]);
    }
    await db.close();
    await raw.end();
  }
  printTable(
    `Ledger holds per second (median of ${rounds} interleaved rounds of ${seconds}s; raw pg = one conditional UPDATE + INSERT statement)`,
    ['conc', 'wallets', 'raw pg/s', 'hold/s', 'hold÷raw', 'hold+capture/s', 'h+c÷raw', 'hold via Prisma/s', 'prisma÷raw'],
    rows,
  );
  return results;
}
