// Holds per second through the ledger (Prisma → one SQL function per operation) beside the same
// conditional debit written as one raw `pg` statement, at several concurrencies, on distinct
// wallets and on one hot wallet. Both sides use a pool as large as the concurrency.
import pg from 'pg';
import { createDatabase } from '../src/db/client.js';
import { createPrismaLedger } from '../src/ledger/prisma-ledger.js';
import type { Ledger } from '../src/use-cases/ports/ledger.js';
import { measureThroughput, printTable, type Results } from './measure.js';

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
    await Promise.all(users.slice(i, i + 200).flatMap((userId) => [
      // A realistic wallet: a small free lot that expires, and a large top-up.
      ledger.grantDailyFree({ userId, guildId, amount: 20, periodKey: 'bench', expiresAt: new Date(Date.now() + 86_400_000) }),
      ledger.grant({ key: `bench-topup:${userId}`, userId, guildId: null, kind: 'topup', amount: 90_000_000, expiresAt: null, actorId: 'bench', reason: 'seed' }),
    ]));
  }
  await sql.query(`
    CREATE TABLE IF NOT EXISTS bench_wallet (id text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));
    CREATE TABLE IF NOT EXISTS bench_entry (id bigserial PRIMARY KEY, wallet_id text NOT NULL, amount int NOT NULL, idempotency_key text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO bench_wallet SELECT u, 90000000 FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING;`.replace(/\$1::text\[\]/, `ARRAY[${users.map((u) => `'${u}'`).join(',')}]`));
}

export async function benchLedger(databaseUrl: string, concurrencies: number[], seconds: number): Promise<Results> {
  const results: Results = {};
  const rows: (string | number)[][] = [];
  const setup = createDatabase({ url: databaseUrl, poolSize: 16 });
  const setupSql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  await seed(createPrismaLedger(setup), setupSql);
  await setup.$disconnect();
  await setupSql.end();

  let run = 0;
  for (const concurrency of concurrencies) {
    const db = createDatabase({ url: databaseUrl, poolSize: concurrency });
    const ledger = createPrismaLedger(db);
    const raw = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
    // Open every connection before timing, for both sides alike.
    await Promise.all(Array.from({ length: concurrency }, () => db.$queryRaw`SELECT 1`));
    await Promise.all(Array.from({ length: concurrency }, () => raw.query('SELECT 1')));
    for (const mode of ['distinct', 'hot'] as const) {
      run++;
      const prefix = `r${run}-${Date.now()}`;
      const rawPerSec = await measureThroughput(concurrency, seconds, (worker, i) =>
        raw.query(
          `WITH debit AS (UPDATE bench_wallet SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING id)
           INSERT INTO bench_entry (wallet_id, amount, idempotency_key) SELECT id, -$1, $3 FROM debit`,
          [holdAmount, walletFor(mode, worker, i, concurrency), `${prefix}-raw-${worker}-${i}`],
        ));
      const holdPerSec = await measureThroughput(concurrency, seconds, async (worker, i) => {
        const userId = walletFor(mode, worker, i, concurrency);
        const hold = await ledger.hold({ key: `${prefix}-h-${worker}-${i}`, userId, guildId, amount: holdAmount, actorId: userId, reason: 'bench' });
        if (!hold.ok) throw new Error(`hold refused: ${hold.error.code}`);
      });
      const holdCapturePerSec = await measureThroughput(concurrency, seconds, async (worker, i) => {
        const userId = walletFor(mode, worker, i, concurrency);
        const hold = await ledger.hold({ key: `${prefix}-hc-${worker}-${i}`, userId, guildId, amount: holdAmount, actorId: userId, reason: 'bench' });
        if (!hold.ok) throw new Error(`hold refused: ${hold.error.code}`);
        const settled = await ledger.settle({ holdId: hold.value.holdId, capture: holdAmount, actorId: 'bench', reason: 'bench' });
        if (!settled.ok) throw new Error(`settle refused: ${settled.error.code}`);
      });
      const key = `c${concurrency}.${mode}`;
      results[`rawPg.debit.${key}.perSec`] = rawPerSec;
      results[`ledger.hold.${key}.perSec`] = holdPerSec;
      results[`ledger.hold.${key}.ratioToRawPg`] = holdPerSec / rawPerSec;
      results[`ledger.holdCapture.${key}.perSec`] = holdCapturePerSec;
      results[`ledger.holdCapture.${key}.ratioToRawPg`] = holdCapturePerSec / rawPerSec;
      rows.push([concurrency, mode, rawPerSec, holdPerSec, holdPerSec / rawPerSec, holdCapturePerSec, holdCapturePerSec / rawPerSec]);
    }
    await db.$disconnect();
    await raw.end();
  }
  printTable(
    `Ledger holds per second (${seconds}s per cell; raw pg = one conditional UPDATE + INSERT statement)`,
    ['conc', 'wallets', 'raw pg/s', 'hold/s', 'hold÷raw', 'hold+capture/s', 'h+c÷raw'],
    rows,
  );
  return results;
}
