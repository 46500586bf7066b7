// /history on PostgreSQL: a member's ledger grouped by operation (idempotency key), newest first,
// paged by keyset on entry ids. An operation's place is the id of its newest line visible here,
// so a page is never split inside an operation and never shifts when new entries arrive.
// SQL, not Prisma Client: one statement picks the page's operations by keyset (NOT EXISTS over a
// correlated subquery, which stops at the page) and joins their lots and jobs. Prisma has no
// correlated subquery, and the schema declares no relations (the ledger has no foreign keys, see
// schema.prisma): it would take a groupBy over all the member's entries (the newest id per key,
// reading every entry rather than one page) and three more round trips for lines, lots and jobs.
import type pg from 'pg';
import type { LedgerLine, LedgerOperation, OperationJob } from '../domain/history/ledger-operation.js';
import type { HistoryPage, HistoryQuery, LedgerHistoryReader } from '../use-cases/ports/ledger-history.js';
import { query } from './sql.js';

// Lines visible in a guild: its own plus the member's global (top-up) lines, wherever they were spent.
const visible = (alias: string) => `(${alias}.guild_id = $2 OR ${alias}.guild_id IS NULL)`;

const pick = (comparison: '<' | '>', order: 'ASC' | 'DESC', withCursor: boolean) => `
  SELECT e.idempotency_key, e.id
    FROM ledger_entry e
   WHERE e.user_id = $1 AND ${visible('e')} ${withCursor ? `AND e.id ${comparison} $4::bigint` : ''}
     AND NOT EXISTS (SELECT 1 FROM ledger_entry n
                      WHERE n.idempotency_key = e.idempotency_key AND n.id > e.id AND ${visible('n')})
   ORDER BY e.id ${order}
   LIMIT $3`;

const linesOf = (picked: string) => `
  WITH picked AS (${picked})
  SELECT p.id::text AS last_id, e.idempotency_key, e.kind, e.lot_kind, e.delta_available, e.delta_held, e.actor_id, e.reason,
         e.created_at, l.tier_name, l.period_key, j.request, j.status AS job_status, j.guild_id AS job_guild
    FROM picked p
    JOIN ledger_entry e ON e.idempotency_key = p.idempotency_key AND e.user_id = $1 AND ${visible('e')}
    JOIN credit_lot l ON l.id = e.lot_id
    LEFT JOIN generation_job j ON j.hold_id = e.hold_id
   ORDER BY p.id DESC, e.line`;

const statements = {
  newest: linesOf(pick('<', 'DESC', false)),
  older: linesOf(pick('<', 'DESC', true)),
  newer: linesOf(pick('>', 'ASC', true)),
};

type LineRow = {
  last_id: string;
  idempotency_key: string;
  kind: LedgerLine['kind'];
  lot_kind: LedgerLine['lotKind'];
  delta_available: number;
  delta_held: number;
  actor_id: string;
  reason: string | null;
  created_at: Date;
  tier_name: string | null;
  period_key: string | null;
  request: Record<string, unknown> | null;
  job_status: string | null;
  job_guild: string | null;
};

function jobOf(row: LineRow): OperationJob | null {
  if (!row.request || !row.job_status || !row.job_guild) return null;
  const { model, operation, width, height, count } = row.request;
  return {
    model: String(model),
    operation: String(operation),
    width: Number(width),
    height: Number(height),
    count: Number(count),
    status: row.job_status,
    guildId: row.job_guild,
  };
}

/** Rows come ordered by operation, then line; each operation becomes one LedgerOperation. */
function group(rows: readonly LineRow[]): LedgerOperation[] {
  const operations: LedgerOperation[] = [];
  let current: { op: LedgerOperation; lines: LedgerLine[] } | undefined;
  for (const row of rows) {
    if (current?.op.lastEntryId !== row.last_id) {
      const lines: LedgerLine[] = [];
      current = {
        lines,
        op: {
          key: row.idempotency_key,
          lastEntryId: row.last_id,
          at: row.created_at,
          actorId: row.actor_id,
          reason: row.reason,
          lines,
          lot: row.kind === 'grant' ? { tierName: row.tier_name, periodKey: row.period_key } : null,
          job: jobOf(row),
        },
      };
      operations.push(current.op);
    }
    current.lines.push({ kind: row.kind, lotKind: row.lot_kind, deltaAvailable: row.delta_available, deltaHeld: row.delta_held });
  }
  return operations;
}

export function createPgLedgerHistoryReader(pool: pg.Pool): LedgerHistoryReader {
  return {
    async page({ userId, guildId, cursor, limit }: HistoryQuery): Promise<HistoryPage> {
      // One extra operation tells whether another page lies beyond this one.
      const values: unknown[] = [userId, guildId, limit + 1];
      if (cursor) values.push(cursor.entryId);
      const statement = cursor === null ? statements.newest : statements[cursor.direction];
      const rows = await query<LineRow>(pool, statement, values);
      let operations = group(rows);
      const more = operations.length > limit;
      if (cursor?.direction === 'newer') {
        // Fetched oldest-first from the cursor up: keep the `limit` nearest, then show newest first.
        operations = operations
          .sort((a, b) => (BigInt(a.lastEntryId) < BigInt(b.lastEntryId) ? -1 : 1))
          .slice(0, limit)
          .reverse();
        return { operations, hasNewer: more, hasOlder: true };
      }
      return { operations: operations.slice(0, limit), hasNewer: cursor !== null, hasOlder: more };
    },
  };
}
