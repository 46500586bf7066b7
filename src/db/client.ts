import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client.js';

/**
 * One connection pool per process, two ways to use it:
 * - `prisma`, Prisma Client on the pool through @prisma/adapter-pg, for the ordinary reads and
 *   writes with generated types (guild config and role tiers, member settings, the audit log, job
 *   and quote reads, /admin stats). Measured (bench/reads-bench.ts): 0.1–0.5 ms more per query
 *   than the same statement through `pg`, and a quarter to a half of its queries per second from
 *   8 callers (Prisma's work per query is JavaScript on the event loop). Those reads are a few per
 *   interaction, and the per-/imagine ones are cached (cached-guild-settings.ts,
 *   cached-member-settings.ts): the /imagine acknowledgement bench showed no difference.
 * - `pool` itself for the ledger's SQL functions and the job functions that move credits (one
 *   round trip each, as named prepared statements), and for the reads Prisma cannot express (each
 *   module says which and why). Throughput is what that hot path needs: at 32 callers the same
 *   ledger_hold call through prisma.$queryRaw made 0.60–0.63 as many holds per second as through
 *   the pool (bench/ledger-bench.ts, "hold via Prisma"; at 1–8 callers within this machine's noise).
 */
export interface Database {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly url: string;
  /**
   * Connections in the pool. Measured here: nothing gains past about 8–16 clients on 2 cores.
   * @defaultValue 10
   */
  readonly poolSize?: number;
}

const statementNames = new Map<string, string>();
const maxCachedNames = 2000;

/**
 * A stable name per SQL text, so pg prepares each statement once per connection and afterwards
 * only binds and executes it (about 15% more ledger holds per second, bench). The texts are our
 * own and Prisma's parameterised queries, so there are few of them.
 */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `ic_${createHash('sha1').update(sql).digest('base64url')}`;
    if (statementNames.size < maxCachedNames) statementNames.set(sql, name);
  }
  return name;
}

export function createDatabase({ url, poolSize = 10 }: DatabaseOptions): Database {
  // `min`: keep every connection once opened. pg closes idle ones after 10 s by default, and a
  // burst after a quiet minute then waited for new backends (fork, authentication, catalog
  // caches, compiling the ledger's functions) — see warm-up.ts.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, min: poolSize });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it and the next query reports any lasting problem.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: ({ sql }) => statementName(sql) }),
  });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
