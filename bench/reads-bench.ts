// The ordinary reads and writes that go through Prisma Client (src/db: guild settings, member
// settings, job reads, quote tier), each beside the same statement sent on the same pool through
// `pg` as the code did before: milliseconds per operation one at a time (what one interaction
// waits) and operations per second from 8 callers on a pool of 8 (a burst), medians of interleaved
// rounds in one run. The ledger's functions stay on `pg` (ledger-bench.ts shows why).
import { createDatabase } from '../src/db/client.js';
import { createPgJobStore } from '../src/db/job-store.js';
import { memberSettingsSelect } from '../src/db/member-settings-store.js';
import { query } from '../src/db/sql.js';
import { createSqlLedger } from '../src/ledger/sql-ledger.js';
import { createSqlJobCredits } from '../src/ledger/sql-job-credits.js';
import { measureThroughput, median, printTable, type Results } from './measure.js';

const guildId = 'bench-reads-guild';
const userId = 'bench-reads-member';
const concurrency = 8;

export async function benchReads(databaseUrl: string, seconds: number, rounds: number): Promise<Results> {
  const db = createDatabase({ url: databaseUrl, poolSize: concurrency });
  const { prisma, pool } = db;
  try {
    // One of each row: a guild config, three role mappings, a member's settings, a quote and its job.
    await prisma.guildConfig.upsert({ where: { guildId }, create: { guildId, bannedWords: ['a', 'b'] }, update: {} });
    for (const roleId of ['r1', 'r2', 'r3']) {
      await prisma.guildTierRole.upsert({
        where: { guildId_roleId: { guildId, roleId } },
        create: { guildId, roleId, tierName: 'starter', setBy: 'bench' },
        update: {},
      });
    }
    await prisma.memberSettings.upsert({
      where: { userId_guildId: { userId, guildId } },
      create: { userId, guildId, defaultModel: 'flux-schnell' },
      update: {},
    });
    const jobs = createPgJobStore(db);
    await createSqlLedger(pool).grant({
      key: `bench-reads:${Date.now()}`,
      userId,
      guildId,
      kind: 'grant',
      amount: 100,
      expiresAt: null,
      actorId: 'bench',
      reason: 'bench',
    });
    const quoteId = await jobs.createQuote({
      userId,
      guildId,
      channelId: 'bench',
      price: 5,
      tierName: 'starter',
      breakdown: {},
      expiresAt: new Date(Date.now() + 3_600_000),
      request: {
        model: 'flux-schnell',
        providerModelId: 'black-forest-labs/flux-schnell',
        operation: 'txt2img',
        prompt: 'bench',
        width: 256,
        height: 256,
        steps: 4,
        count: 1,
        seed: 1,
      },
    });
    const confirmed = await createSqlJobCredits(pool).confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 3_600_000) });
    if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
    const jobId = confirmed.value.jobId;

    const operations: Record<string, { pg: () => Promise<unknown>; prisma: () => Promise<unknown> }> = {
      guildConfig: {
        pg: () =>
          query(
            pool,
            `SELECT guild_id, free_daily_credits, allowed_channel_ids, max_running_jobs_per_member, banned_words, banned_patterns,
          nsfw, spoiler_results, updated_by, updated_at FROM guild_config WHERE guild_id = $1`,
            [guildId],
          ),
        prisma: () => prisma.guildConfig.findUnique({ where: { guildId } }),
      },
      roleTiers: {
        pg: () => query(pool, `SELECT role_id, tier_name, set_by FROM guild_tier_role WHERE guild_id = $1`, [guildId]),
        prisma: () => prisma.guildTierRole.findMany({ where: { guildId }, select: { roleId: true, tierName: true, setBy: true } }),
      },
      memberSettings: {
        pg: () =>
          query(
            pool,
            `SELECT default_model, default_size, auto_confirm_max_credits, low_balance_warning_at, default_lane, daily_cap, monthly_cap FROM member_settings WHERE user_id = $1 AND guild_id = $2`,
            [userId, guildId],
          ),
        prisma: () =>
          prisma.memberSettings.findUnique({
            where: { userId_guildId: { userId, guildId } },
            select: memberSettingsSelect,
          }),
      },
      quoteQueueing: {
        pg: () => query(pool, `SELECT tier_name, lane FROM quote WHERE id = $1`, [quoteId]),
        prisma: () => prisma.quote.findUnique({ where: { id: quoteId }, select: { tierName: true, lane: true } }),
      },
      job: {
        pg: () =>
          query(
            pool,
            `SELECT id, user_id, guild_id, channel_id, request, price, tier_name, priority, status, attempts, deadline_at, message_id,
          images_delivered, created_at, interaction_application_id, interaction_token, interaction_expires_at FROM generation_job WHERE id = $1`,
            [jobId],
          ),
        prisma: () =>
          prisma.generationJob.findUnique({
            where: { id: jobId },
            select: {
              id: true,
              userId: true,
              guildId: true,
              channelId: true,
              request: true,
              price: true,
              tierName: true,
              priority: true,
              status: true,
              attempts: true,
              deadlineAt: true,
              messageId: true,
              imagesDelivered: true,
              createdAt: true,
              interactionApplicationId: true,
              interactionToken: true,
              interactionExpiresAt: true,
            },
          }),
      },
      settingsUpsert: {
        pg: () =>
          query(
            pool,
            `
          INSERT INTO member_settings (user_id, guild_id, auto_confirm_max_credits, low_balance_warning_at) VALUES ($1, $2, $3, 0)
          ON CONFLICT (user_id, guild_id) DO UPDATE SET auto_confirm_max_credits = EXCLUDED.auto_confirm_max_credits, updated_at = now()
          RETURNING default_model, default_size, auto_confirm_max_credits, low_balance_warning_at, default_lane, daily_cap, monthly_cap`,
            [userId, guildId, 5],
          ),
        prisma: () =>
          prisma.memberSettings.upsert({
            where: { userId_guildId: { userId, guildId } },
            create: { userId, guildId, autoConfirmMaxCredits: 5 },
            update: { autoConfirmMaxCredits: 5, updatedAt: new Date() },
            select: memberSettingsSelect,
          }),
      },
    };
    // Open every connection and prepare every statement before timing, for both sides alike.
    for (const operation of Object.values(operations))
      await Promise.all(Array.from({ length: concurrency }, () => Promise.all([operation.pg(), operation.prisma()])));

    const results: Results = {};
    const rows: (string | number)[][] = [];
    for (const [name, sides] of Object.entries(operations)) {
      const samples = { pg1: [] as number[], prisma1: [] as number[], pg8: [] as number[], prisma8: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        samples.pg1.push(await measureThroughput(1, seconds / 2, sides.pg));
        samples.prisma1.push(await measureThroughput(1, seconds / 2, sides.prisma));
        samples.pg8.push(await measureThroughput(concurrency, seconds / 2, sides.pg));
        samples.prisma8.push(await measureThroughput(concurrency, seconds / 2, sides.prisma));
      }
      const [pgMs, prismaMs] = [1000 / median(samples.pg1), 1000 / median(samples.prisma1)];
      const [pgPerSec, prismaPerSec] = [median(samples.pg8), median(samples.prisma8)];
      Object.assign(results, {
        [`reads.${name}.c1.pgMs`]: pgMs,
        [`reads.${name}.c1.prismaMs`]: prismaMs,
        [`reads.${name}.c1.prismaExtraMs`]: prismaMs - pgMs,
        [`reads.${name}.c${concurrency}.pgPerSec`]: pgPerSec,
        [`reads.${name}.c${concurrency}.prismaPerSec`]: prismaPerSec,
        [`reads.${name}.c${concurrency}.prismaRatioToPg`]: prismaPerSec / pgPerSec,
      });
      rows.push([name, pgMs, prismaMs, prismaMs - pgMs, pgPerSec, prismaPerSec, prismaPerSec / pgPerSec]);
    }
    printTable(
      `Prisma Client beside pg, the same statement on the same pool (median of ${rounds} interleaved rounds; c1 = one at a time, c${concurrency} = ${concurrency} callers)`,
      ['operation', 'pg ms (c1)', 'prisma ms (c1)', 'extra ms', `pg/s (c${concurrency})`, `prisma/s (c${concurrency})`, 'prisma÷pg'],
      rows.map((row) => row.map((cell, i) => (typeof cell === 'number' && i >= 1 && i <= 3 ? cell.toFixed(3) : cell))),
    );
    return results;
  } finally {
    await db.close();
  }
}
