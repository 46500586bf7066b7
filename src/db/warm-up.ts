// Warms every connection of the pool before the bot takes its first interaction.
//
// A new PostgreSQL connection is a new backend process: the first time it runs a PL/pgSQL
// function it compiles it, and the first time it touches a table it loads that table's catalog
// entries (columns, indexes, triggers). Measured with `npm run bench` (50 members firing /imagine
// at once right after start): paying that on ten cold connections inside the first burst made
// its slowest answer 190–275 ms; warmed first, 145–177 ms. Connections are then kept open
// (the pool's `min`, src/db/client.ts), so this happens once per process.
import type pg from 'pg';
import type { PrismaClient } from './generated/client.js';

/** A member id no Discord user has (snowflakes are digits); nothing done for it is kept anyway. */
const warmUpMember = 'warm-up';

/**
 * One module's per-interaction statements, run for a made-up member on a connection inside a
 * transaction the warm-up rolls back. Each module owns its own (the ledger its credit calls).
 */
export type SessionRehearsal = (client: pg.ClientBase, memberId: string) => Promise<unknown>;

/** Runs the rehearsals in one transaction and rolls it back: no credit, lot, entry or quote outlives it. */
async function warmUpConnection(client: pg.PoolClient, rehearsals: readonly SessionRehearsal[]): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const rehearse of rehearsals) await rehearse(client, warmUpMember);
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * Opens `size` connections at once (so the pool holds that many) and warms each. A failure is
 * returned, not thrown: a cold (or missing) connection is slower, not wrong, and the start-up
 * checks have already proved the database usable. Past `max_connections`, say, the pool keeps
 * what it could open.
 */
export async function warmUpPool(pool: pg.Pool, size: number, rehearsals: readonly SessionRehearsal[]): Promise<Error | null> {
  const opened = await Promise.allSettled(Array.from({ length: size }, () => pool.connect()));
  const clients = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures: unknown[] = opened.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  await Promise.all(
    clients.map(async (client) => {
      try {
        await warmUpConnection(client, rehearsals);
        client.release();
      } catch (error) {
        failures.push(error);
        // A connection whose warm-up failed is dropped rather than handed to a member's query.
        client.release(true);
      }
    }),
  );
  const [first] = failures;
  return first === undefined ? null : first instanceof Error ? first : new Error(String(first));
}

/**
 * Prisma Client compiles its query compiler (WebAssembly, ~3 MB) on its first query, which holds
 * the event loop for 0.1–0.5 s here; one read for a made-up member pays it before the first
 * interaction does. A failure is returned, like warmUpPool's.
 */
export async function warmUpPrisma(prisma: PrismaClient): Promise<Error | null> {
  try {
    await prisma.memberSettings.findUnique({ where: { userId_guildId: { userId: warmUpMember, guildId: warmUpMember } } });
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
