// /admin stats reads one guild's jobs and lots over a period. With many guilds on one bot those
// tables are large, so each of its statements must reach the guild's rows through an index that
// starts with guild_id, never a scan of the whole table. Checked on the planner's own choice
// (EXPLAIN after ANALYZE) over a realistically skewed data set: 400 guilds, 40,000 jobs and
// 40,000 lots, spread over 90 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminStatsStatements } from '../../../src/db/admin-stats-store.js';
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

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] }
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

async function plan(sql: string): Promise<PlanNode[]> {
  const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const values = sql.includes('$3') ? [GUILD, since, 10] : [GUILD, since];
  const { rows } = await database.sql.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  return nodes(rows[0]!['QUERY PLAN'][0].Plan);
}

describe('/admin stats on a bot with many guilds', () => {
  it.each(Object.entries(adminStatsStatements))('%s reads its guild through an index that starts with guild_id, never scanning the table', async (_name, sql) => {
    const { rows: indexes } = await database.sql.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('generation_job', 'credit_lot')`);
    const firstColumn = new Map(indexes.map((index) => [index.indexname, /\((\w+)/.exec(index.indexdef)?.[1]]));
    const steps = await plan(sql);
    expect(steps.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    const used = steps.flatMap((node) => (node['Index Name'] === undefined ? [] : [node['Index Name']]));
    expect(used).toHaveLength(1);
    expect(used.map((name) => [name, firstColumn.get(name)])).toEqual([[expect.stringMatching(/_guild_id_created_at_idx$/), 'guild_id']]);
  });

  it('the statements answer for the guild alone', async () => {
    const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    const { rows } = await database.sql.query<{ jobs: number }>(adminStatsStatements.byStatus, [GUILD, since]);
    const { rows: [all] } = await database.sql.query<{ jobs: number }>(
      `SELECT count(*)::int AS jobs FROM generation_job WHERE guild_id = $1 AND created_at >= $2`, [GUILD, since]);
    expect(rows.reduce((sum, row) => sum + row.jobs, 0)).toBe(all!.jobs);
    expect(all!.jobs).toBeGreaterThan(0);
  });
});
