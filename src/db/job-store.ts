// Jobs and quotes on PostgreSQL. No credit moves here: confirming, finishing and timing out a job
// are the ledger's (src/ledger/sql-job-credits.ts). Leases and deadlines are decided on the
// database's clock (ledger_now(), *_job_deadline_lease), so workers on different machines agree.
//
// Two paths to the same pool. Reads by key or by indexed filter go through Prisma Client and its
// generated types. The rest is SQL text on the pool (named prepared statements), because:
// - the job functions (claim_job, renew/begin delivery) and the statements on the database's
//   clock (ledger_now(): markKept, markEnqueued, findOrphans, findPastDeadline) are calls Prisma's
//   API cannot make, and on this hot path the pool carries more calls per second than
//   prisma.$queryRaw (see client.ts);
// - the conditional writes (coalesce/CASE on the stored value, DELETE … LIMIT) and the reads Prisma
//   cannot express: a window function (staleQueuePlaces), a row-value comparison against another
//   row (queuedAhead), ILIKE on a JSON field and a prefix of a uuid (recentJobs);
// - the plain writes left (createQuote, releaseLease, the prediction id) are one per /imagine or
//   job attempt, beside the function calls, where Prisma's per-query cost would buy nothing.
import { isLane } from '../domain/lanes/lanes.js';
import { relaxBase } from '../domain/lanes/queue-order.js';
import type pg from 'pg';
import { jobRequestSchema } from '../domain/jobs/job-request.js';
import type { PredictionStore } from '../use-cases/ports/image-provider.js';
import type { ClaimResult, JobRecord, JobStore } from '../use-cases/ports/job-store.js';
import type { Database } from './client.js';
import type { GenerationJob } from './generated/client.js';
import { createPgPredictionParts } from './prediction-parts.js';
import { query } from './sql.js';

export interface JobStoreOptions {
  /**
   * How long past its deadline a job whose worker still holds a live lease may run to finish and
   * deliver; its lease is never renewed past deadline + overtime. @defaultValue 10 minutes
   */
  readonly overtimeMs?: number;
}

/** The generation_job columns a JobRecord is made of, by the names Prisma gives them. */
const jobColumnOf = {
  id: 'id',
  userId: 'user_id',
  guildId: 'guild_id',
  channelId: 'channel_id',
  request: 'request',
  price: 'price',
  tierName: 'tier_name',
  priority: 'priority',
  status: 'status',
  attempts: 'attempts',
  deadlineAt: 'deadline_at',
  messageId: 'message_id',
  imagesDelivered: 'images_delivered',
  createdAt: 'created_at',
  interactionApplicationId: 'interaction_application_id',
  interactionToken: 'interaction_token',
  interactionExpiresAt: 'interaction_expires_at',
} as const satisfies Partial<Record<keyof GenerationJob, string>>;
type JobFields = Pick<GenerationJob, keyof typeof jobColumnOf>;
/** Prisma's `select` of those fields. */
const jobSelect = Object.fromEntries(Object.keys(jobColumnOf).map((field) => [field, true])) as Record<keyof typeof jobColumnOf, true>;
/** The same fields in SQL, named as Prisma names them, from `of` (a table alias, or a row value such as `(c.job)`). */
const jobColumns = (of: string) =>
  Object.entries(jobColumnOf)
    .map(([field, column]) => `${of}.${column} AS "${field}"`)
    .join(', ');

const toJob = (row: JobFields): JobRecord => ({
  id: row.id,
  userId: row.userId,
  guildId: row.guildId,
  channelId: row.channelId,
  request: jobRequestSchema.parse(row.request),
  price: row.price,
  tierName: row.tierName,
  priority: row.priority,
  status: row.status,
  attempts: row.attempts,
  deadlineAt: row.deadlineAt,
  messageId: row.messageId,
  imagesDelivered: row.imagesDelivered,
  createdAt: row.createdAt,
  // The table's CHECK keeps the three together.
  interaction:
    row.interactionToken === null ? null : { applicationId: row.interactionApplicationId!, token: row.interactionToken, expiresAt: row.interactionExpiresAt! },
});

// Places of the front of the queue (the same order the reply and the queue use; an index scan,
// however deep the queue), then only the ones with a message showing another place, the most out
// of date first.
// Relax jobs (priority ≥ relaxBase) wait in a queue of their own, served by their own slots:
// each queue's front is read apart, and a Relax job's place counts only Relax jobs ahead of it.
const staleQueuePlacesSql = `
  SELECT ${jobColumns('q')}, q.ahead, q.queue_place_shown FROM (
    SELECT f.*, row_number() OVER (PARTITION BY f.priority >= ${relaxBase} ORDER BY f.priority, f.created_at, f.id) - 1 AS ahead
      FROM ((SELECT * FROM generation_job j WHERE j.status = 'queued' AND j.priority < ${relaxBase} ORDER BY j.priority, j.created_at, j.id LIMIT $2)
            UNION ALL
            (SELECT * FROM generation_job j WHERE j.status = 'queued' AND j.priority >= ${relaxBase} ORDER BY j.priority, j.created_at, j.id LIMIT $2)) f) q
   WHERE q.message_id IS NOT NULL AND q.queue_place_shown IS DISTINCT FROM q.ahead::int
   ORDER BY q.queue_place_shown IS NULL DESC, abs(q.queue_place_shown - q.ahead::int) DESC, q.ahead LIMIT $1`;

// One statement: the limit check and the claim under a per-member lock (see the migration).
const claimSql = `SELECT c.outcome, c.running, ${jobColumns('(c.job)')} FROM claim_job($1::uuid, $2, $3::int, $4::int) c`;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A quote insert, for the start-up warm-up (src/db/warm-up.ts), which rolls it back. */
export const rehearseQuoteInsert = (client: pg.ClientBase, memberId: string) =>
  client.query(
    `
  INSERT INTO quote (user_id, guild_id, channel_id, request, breakdown, price, tier_name, expires_at)
  VALUES ($1, $1, $1, '{}', '[]', 1, $1, now())`,
    [memberId],
  );

export function createPgJobStore(db: Pick<Database, 'pool' | 'prisma'>, options: JobStoreOptions = {}): JobStore {
  const { pool, prisma } = db;
  const overtimeMs = options.overtimeMs ?? 10 * 60_000;

  const parts = createPgPredictionParts(db);
  const predictions: PredictionStore = {
    async get(jobId, part) {
      if (part !== undefined) return parts.get(jobId, part);
      const row = await prisma.generationJob.findUnique({ where: { id: jobId }, select: { predictionId: true, predictionCreatingSince: true } });
      return row ? { predictionId: row.predictionId, creatingSince: row.predictionCreatingSince } : null;
    },
    async markCreating(jobId, at, part) {
      if (part !== undefined) return parts.markCreating(jobId, at, part);
      await query(pool, `UPDATE generation_job SET prediction_creating_since = $2 WHERE id = $1 AND prediction_id IS NULL`, [jobId, at]);
    },
    async save(jobId, predictionId, part) {
      if (part !== undefined) return parts.save(jobId, predictionId, part);
      await query(pool, `UPDATE generation_job SET prediction_id = $2 WHERE id = $1`, [jobId, predictionId]);
    },
  };

  return {
    predictions,

    async createQuote(quote) {
      const request = jobRequestSchema.parse(quote.request);
      const [row] = await query<{ id: string }>(
        pool,
        `
        INSERT INTO quote (user_id, guild_id, channel_id, request, breakdown, price, tier_name, expires_at, lane, list_price, provider_usd)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          quote.userId,
          quote.guildId,
          quote.channelId,
          JSON.stringify(request),
          JSON.stringify(quote.breakdown),
          quote.price,
          quote.tierName,
          quote.expiresAt,
          // The lane is the request's (what the job is); the column copies it for the SQL that
          // checks lanes at confirm (one Relax job at a time, a free price only in Relax).
          request.lane ?? 'fast',
          quote.listPrice ?? null,
          quote.providerUsd ?? null,
        ],
      );
      return row!.id;
    },

    async cancelQuote(quoteId, userId) {
      if (!uuidPattern.test(quoteId)) return false;
      const rows = await query(pool, `UPDATE quote SET status = 'cancelled' WHERE id = $1 AND user_id = $2 AND status = 'open' RETURNING id`, [
        quoteId,
        userId,
      ]);
      return rows.length === 1;
    },

    async pruneQuotes(expiredBefore, limit) {
      const rows = await query(
        pool,
        `
        DELETE FROM quote WHERE id IN (
          SELECT id FROM quote WHERE status IN ('open', 'cancelled') AND expires_at < $1 ORDER BY expires_at LIMIT $2)
        RETURNING id`,
        [expiredBefore, limit],
      );
      return rows.length;
    },

    async queuePlaceEditingUntil(jobId) {
      if (!uuidPattern.test(jobId)) return null;
      const row = await prisma.generationJob.findUnique({ where: { id: jobId }, select: { queuePlaceEditingUntil: true } });
      return row?.queuePlaceEditingUntil ?? null;
    },

    async staleQueuePlaces(limit, reach = 1000) {
      const rows = await query<JobFields & { ahead: string; queue_place_shown: number | null }>(pool, staleQueuePlacesSql, [limit, reach]);
      return rows.map((row) => ({ job: toJob(row), ahead: Number(row.ahead), shown: row.queue_place_shown }));
    },

    async beginQueuePlaceEdit(jobId, until) {
      const rows = await query(pool, `UPDATE generation_job SET queue_place_editing_until = $2 WHERE id = $1 AND status = 'queued' RETURNING id`, [
        jobId,
        until,
      ]);
      return rows.length === 1;
    },

    async recordQueuePlace(jobId, placeShown) {
      await query(pool, `UPDATE generation_job SET queue_place_editing_until = NULL, queue_place_shown = coalesce($2, queue_place_shown) WHERE id = $1`, [
        jobId,
        placeShown,
      ]);
    },

    async quoteQueueing(quoteId) {
      if (!uuidPattern.test(quoteId)) return null;
      const [row] = await query<{ tier_name: string; lane: string }>(pool, `SELECT tier_name, lane FROM quote WHERE id = $1`, [quoteId]);
      // The column is CHECKed to hold a lane (quotes from before lanes have 'fast').
      return row ? { tierName: row.tier_name, lane: isLane(row.lane) ? row.lane : 'fast' } : null;
    },

    async recentRelaxImages(userId, since) {
      const [row] = await query<{ images: number }>(
        pool,
        `SELECT COALESCE(SUM(images_delivered), 0)::int AS images FROM generation_job
          WHERE user_id = $1 AND status IN ('succeeded', 'partial') AND lane = 'relax' AND finished_at >= $2`,
        [userId, since],
      );
      return row?.images ?? 0;
    },

    async get(jobId) {
      if (!uuidPattern.test(jobId)) return null;
      const row = await prisma.generationJob.findUnique({ where: { id: jobId }, select: jobSelect });
      return row ? toJob(row) : null;
    },

    async markKept(jobId, userId) {
      if (!uuidPattern.test(jobId)) return 'not_found';
      const [row] = await query<{ user_id: string; status: string }>(
        pool,
        `
        UPDATE generation_job SET kept_at = coalesce(kept_at, ledger_now())
         WHERE id = $1 AND user_id = $2 AND status IN ('succeeded', 'partial')
        RETURNING user_id, status`,
        [jobId, userId],
      );
      if (row) return 'kept';
      const job = await prisma.generationJob.findUnique({ where: { id: jobId }, select: { userId: true } });
      return job === null ? 'not_found' : job.userId === userId ? 'not_delivered' : 'not_owner';
    },

    async markEnqueued(jobId) {
      await query(pool, `UPDATE generation_job SET enqueued_at = coalesce(enqueued_at, ledger_now()) WHERE id = $1`, [jobId]);
    },

    async claim(jobId, workerId, leaseMs, { maxRunningForMember }) {
      if (!Number.isInteger(maxRunningForMember) || maxRunningForMember < 1)
        throw new RangeError(`claim: maxRunningForMember must be a whole number ≥ 1 (got ${maxRunningForMember})`);
      if (!uuidPattern.test(jobId)) return { kind: 'finished' };
      const [row] = await query<{ outcome: ClaimResult['kind']; running: number | null } & JobFields>(pool, claimSql, [
        jobId,
        workerId,
        leaseMs,
        maxRunningForMember,
      ]);
      switch (row!.outcome) {
        case 'claimed':
          return { kind: 'claimed', job: toJob(row!) };
        case 'member_limit':
          return { kind: 'member_limit', running: row!.running! };
        case 'held_elsewhere':
          return { kind: 'held_elsewhere' };
        case 'finished':
          return { kind: 'finished' };
        case 'past_deadline':
          return { kind: 'past_deadline' };
        default:
          throw new Error(`claim_job: unexpected outcome ${String(row!.outcome)} for job ${jobId}`);
      }
    },

    async renewLease(jobId, workerId, leaseMs) {
      const [row] = await query<{ renewed: boolean }>(
        pool,
        `
        SELECT renew_job_lease($1::uuid, $2, $3::int, $4::int * interval '1 millisecond') AS renewed`,
        [jobId, workerId, leaseMs, overtimeMs],
      );
      return row!.renewed;
    },

    async beginDelivery(jobId, workerId, leaseMs) {
      const [row] = await query<{ ok: boolean }>(pool, `SELECT begin_job_delivery($1::uuid, $2, $3::int) AS ok`, [jobId, workerId, leaseMs]);
      return row!.ok;
    },

    async releaseLease(jobId, workerId) {
      await query(pool, `UPDATE generation_job SET lease_until = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2`, [jobId, workerId]);
    },

    async findOrphans(olderThanMs) {
      return query<{ id: string; priority: number }>(
        pool,
        `
        SELECT j.id, j.priority FROM generation_job j, (SELECT ledger_now() AS now) c
         WHERE j.status IN ('queued', 'running') AND j.created_at < c.now - $1::int * interval '1 millisecond'
           AND (j.lease_until IS NULL OR j.lease_until < c.now)
         ORDER BY j.created_at LIMIT 500`,
        [olderThanMs],
      );
    },

    async setMessageId(jobId, messageId, replacing) {
      if (!uuidPattern.test(jobId)) return null;
      const [row] = await query<{ message_id: string | null }>(
        pool,
        replacing === undefined
          ? `UPDATE generation_job SET message_id = coalesce(message_id, $2) WHERE id = $1 RETURNING message_id`
          : `UPDATE generation_job SET message_id = CASE WHEN message_id IS NOT DISTINCT FROM $3::text THEN $2 ELSE message_id END WHERE id = $1 RETURNING message_id`,
        replacing === undefined ? [jobId, messageId] : [jobId, messageId, replacing],
      );
      return row?.message_id ?? null;
    },

    async queuedJobIdsOf(userId, limit) {
      const rows = await prisma.generationJob.findMany({
        where: { userId, status: 'queued' },
        orderBy: [{ priority: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true },
      });
      return rows.map((row) => row.id);
    },

    async queuedAhead(jobId) {
      if (!uuidPattern.test(jobId)) return 0;
      const [row] = await query<{ n: number }>(
        pool,
        `
        SELECT count(other.id)::int AS n FROM generation_job me
          JOIN generation_job other ON other.status = 'queued' AND other.id <> me.id
           AND (other.priority < me.priority OR (other.priority = me.priority AND (other.created_at, other.id) < (me.created_at, me.id)))
           -- A Relax job waits only for the Relax jobs ahead of it (paying jobs run in other slots).
           AND (me.priority < ${relaxBase} OR other.priority >= ${relaxBase})
         WHERE me.id = $1 AND me.status = 'queued'`,
        [jobId],
      );
      return row?.n ?? 0;
    },

    async recentJobs(userId, guildId, search, limit) {
      const rows = await query<{ id: string; prompt: string; operation: string; status: JobRecord['status']; created_at: Date }>(
        pool,
        `
        SELECT id, request->>'prompt' AS prompt, request->>'operation' AS operation, status, created_at FROM generation_job
         WHERE user_id = $1 AND guild_id = $2 AND ($3 = '' OR request->>'prompt' ILIKE '%' || $3 || '%' OR id::text LIKE $3 || '%')
         ORDER BY created_at DESC LIMIT $4`,
        [userId, guildId, search.replace(/[%_\\]/g, (c) => `\\${c}`), limit],
      );
      return rows.map((row) => ({ id: row.id, prompt: row.prompt, operation: row.operation, status: row.status, createdAt: row.created_at }));
    },

    async findPastDeadline(limit) {
      // Candidates only: time_out_job decides, under the job's lock.
      const rows = await query<{ id: string }>(
        pool,
        `
        SELECT j.id FROM generation_job j, (SELECT ledger_now() AS now) c
         WHERE j.status IN ('queued', 'running') AND j.deadline_at <= c.now AND (j.lease_until IS NULL OR j.lease_until < c.now)
         ORDER BY j.deadline_at LIMIT $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },
  };
}
