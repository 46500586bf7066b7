// `npm run bench`: builds (the bot and worker processes it starts run dist/, as `npm start` does),
// measures against a fresh, migrated database on the configured server and writes the figures to
// bench/results.json (flat keys, e.g. ledger.hold.c32.distinct.perSec, bot.rss.idleMiB).
// BENCH_ONLY=crowd,interactions (any of ledger, allowances, reads, pipeline, interactions, crowd, lanes, budget) runs only those.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrations.js';
import { benchAllowances } from './allowances-bench.js';
import { benchLedger } from './ledger-bench.js';
import { benchReads } from './reads-bench.js';
import { benchInteractions } from './interaction-bench.js';
import { benchPipeline } from './pipeline-bench.js';
import { benchCrowd } from './crowd-bench.js';
import { benchLanes } from './lanes-bench.js';
import { benchBudget } from './budget-bench.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 2);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const server = new URL(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const benchDb = 'imagine_credits_bench';

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${benchDb}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${benchDb}"`);
  await admin.end();
  const url = Object.assign(new URL(server), { pathname: `/${benchDb}` }).toString();
  await applyMigrations(url);
  return url;
}

const url = await freshDatabase();
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const only = new Set((process.env['BENCH_ONLY'] ?? 'ledger,allowances,reads,pipeline,interactions,crowd,lanes,budget').split(',').map((part) => part.trim()));
const results = {
  'meta.secondsPerRound': seconds,
  'meta.rounds': rounds,
  ...(only.has('ledger') ? await benchLedger(url, [1, 8, 32], seconds, rounds) : {}),
  ...(only.has('allowances') ? await benchAllowances(url, [1, 8, 32], seconds, rounds) : {}),
  ...(only.has('reads') ? await benchReads(url, seconds, rounds) : {}),
  ...(only.has('pipeline') ? await benchPipeline(url, redisUrl, Number(process.env['BENCH_JOBS'] ?? 400)) : {}),
  ...(only.has('interactions') ? await benchInteractions(url, redisUrl) : {}),
  ...(only.has('crowd') ? await benchCrowd(url, redisUrl, { members: 40, jobsEach: 5, providerMs: 1500, workerSlots: 20 }) : {}),
  ...(only.has('lanes') ? await benchLanes(url, redisUrl) : {}),
  ...(only.has('budget') ? await benchBudget(url, { monthJobs: Number(process.env['BENCH_MONTH_JOBS'] ?? 5000), confirms: 1000, concurrency: 8, rounds }) : {}),
};
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote ${out}`);
