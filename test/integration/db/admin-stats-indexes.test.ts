// /admin stats reads one guild's jobs and lots over a period. With many guilds on one bot those
// tables are large, so each of its statements must reach the guild's rows through an index that
// starts with guild_id, never a scan of the whole table. Checked on the planner's own choice
// (EXPLAIN after ANALYZE) over a realistically skewed data set: 400 guilds, 40,000 jobs and
// 40,000 lots, spread over 90 days. The statements are the ones the reader really runs: Prisma
// Client's, as its query log reports them, and the one it keeps in SQL.
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byLaneStatement, byModelStatement, createPgAdminStatsReader } from '../../../src/db/admin-stats-store.js';
import { PrismaClient } from '../../../src/db/generated/client.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

let database: TestDatabase;
const guild = (n: number) => `5${String(n).padStart(17, '0')}`;
const GUILD = guild(7);

beforeAll(async () => {
  database = await createTestDatabase(2);
  await database.sql.query(`
    INSERT INTO generation_job (id, quote_id, hold_id, user_id, guild_id, channel_id, request, price, tier_name, priority, status,
                                images_delivered, credits_charged, credits_refunded, deadline_at, created_at)
    SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'user-' || (i % 3000), '5' || lpad((i % 400)::text, 17, '0'), 'channel',
           jsonb_build_object('model', 'flux-schnell'), 4, 'none', 10, (ARRAY['succeeded', 'partial', 'failed']::job_status[])[1 + i % 3],
           1, 4 - 4 * (i % 3 / 2), 4 * (i % 3 / 2), now(), now() - (i % 90) * interval '1 day'
      FROM generate_series(1, 40000) AS i`);
  await database.sql.query(`
    INSERT INTO credit_lot (user_id, guild_id, kind, spend_rank, amount, remaining, expires_at, source_key, created_at)
    SELECT 'user-' || (i % 3000), '5' || lpad((i % 400)::text, 17, '0'), CASE WHEN i % 50 = 0 THEN 'grant' ELSE 'free' END::lot_kind, 1, 20, 20,
           now() + interval '1 day', CASE WHEN i % 50 = 0 THEN 'grant:admin-refund:' ELSE 'free:' END || i, now() - (i % 90) * interval '1 day'
      FROM generate_series(1, 40000) AS i`);
  await database.sql.query('ANALYZE generation_job; ANALYZE credit_lot');
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);

/** Every statement one /admin stats runs, with its parameters: Prisma's from its query log, and the SQL one. */
async function statementsOfGuildUsage(): Promise<{ sql: string; values: unknown[] }[]> {
  const prisma = new PrismaClient({ adapter: new PrismaPg(database.db.pool), log: [{ emit: 'event', level: 'query' }] });
  const logged: { sql: string; values: unknown[] }[] = [];
  prisma.$on('query', (event) => logged.push({ sql: event.query, values: JSON.parse(event.params) as unknown[] }));
  try {
    await createPgAdminStatsReader({ pool: database.db.pool, prisma }).guildUsage(GUILD, since, 10);
  } finally {
    await prisma.$disconnect(); // leaves the shared pool open
  }
  return [{ sql: byModelStatement, values: [GUILD, since] }, { sql: byLaneStatement, values: [GUILD, since] }, ...logged];
}

async function plan(sql: string, values: unknown[]): Promise<PlanNode[]> {
  const { rows } = await database.sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  return nodes(rows[0]!['QUERY PLAN'][0].Plan);
}

describe('/admin stats on a bot with many guilds', () => {
  it('reads its guild through an index that starts with guild_id in every statement, never scanning a table', async () => {
    const { rows: indexes } = await database.sql.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('generation_job', 'credit_lot')`,
    );
    const firstColumn = new Map(indexes.map((index) => [index.indexname, /\((\w+)/.exec(index.indexdef)?.[1]]));
    const statements = await statementsOfGuildUsage();
    // Spend by model, spend by lane, jobs by status, job refunds, admin refunds, top spenders.
    expect(statements).toHaveLength(6);
    for (const { sql, values } of statements) {
      const steps = await plan(sql, values);
      expect(
        steps.filter((node) => node['Node Type'] === 'Seq Scan'),
        sql,
      ).toEqual([]);
      const used = steps.flatMap((node) => (node['Index Name'] === undefined ? [] : [node['Index Name']]));
      expect(
        used.map((name) => [name, firstColumn.get(name)]),
        sql,
      ).toEqual([[expect.stringMatching(/_guild_id_created_at_idx$/), 'guild_id']]);
    }
  });

  it('answers for the guild alone', async () => {
    const figures = await createPgAdminStatsReader(database.db).guildUsage(GUILD, since, 10);
    const {
      rows: [all],
    } = await database.sql.query<{ jobs: number; refunds: number }>(
      `
      SELECT (SELECT count(*)::int FROM generation_job WHERE guild_id = $1 AND created_at >= $2) AS jobs,
             (SELECT count(*)::int FROM credit_lot WHERE guild_id = $1 AND created_at >= $2 AND source_key LIKE 'grant:admin-refund:%') AS refunds`,
      [GUILD, since],
    );
    expect(Object.values(figures.jobsByStatus).reduce((sum, jobs) => sum + jobs, 0)).toBe(all!.jobs);
    expect(all!.jobs).toBeGreaterThan(0);
    expect(figures.adminRefunds.count).toBe(all!.refunds);
    expect(figures.byModel.reduce((sum, row) => sum + row.jobs, 0)).toBe(all!.jobs);
    expect(figures.byLane.reduce((sum, row) => sum + row.jobs, 0)).toBe(all!.jobs);
  });
});
