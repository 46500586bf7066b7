// Keeps "queued, position N" on job messages current as the queue moves: every few seconds the bot
// edits the messages whose place changed, front of the queue first, a few per round (Discord
// rate-limits message edits per channel).
//
// The race it must not lose: a worker claims the job while the bot's "queued" edit is in flight,
// and that edit lands after the worker's "Generating…" (or the images). So each edit is guarded:
// the bot marks the job (only while it is still queued: the mark and the claim are writes to the
// same row, so one of them comes first), edits with a time limit, then clears the mark; a worker
// that claimed the job meanwhile waits for the mark to clear, or to expire, before its first edit
// (src/discord/channel-delivery.ts). The mark outlives the edit's time limit, so an edit still
// unanswered is abandoned before the worker goes ahead.
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { QueuePlaceStore } from '../use-cases/ports/job-store.js';
import type { WorkLog } from '../use-cases/ports/work-log.js';
import { queuedText } from './render/job-message.js';

export interface QueuePlaceRefreshOptions {
  readonly rest: REST;
  readonly jobs: QueuePlaceStore;
  /** Messages edited per round at most. @defaultValue 10 */
  readonly maxEdits?: number;
  /** An edit not answered by then is abandoned. @defaultValue 2.5 s */
  readonly editTimeoutMs?: number;
  readonly log?: WorkLog;
}

/** One round: edits the stale places it can; resolves with how many messages it updated. */
export async function refreshQueuePlaces(options: QueuePlaceRefreshOptions): Promise<number> {
  const editTimeoutMs = options.editTimeoutMs ?? 2500;
  let updated = 0;
  for (const { job, ahead } of await options.jobs.staleQueuePlaces(options.maxEdits ?? 10)) {
    if (job.messageId === null) continue;
    // A margin past the edit's own limit: by the time the mark expires the edit is settled or abandoned.
    if (!(await options.jobs.beginQueuePlaceEdit(job.id, new Date(Date.now() + editTimeoutMs + 500)))) continue;
    let shown: number | null = null;
    try {
      await options.rest.patch(Routes.channelMessage(job.channelId, job.messageId), {
        body: { content: queuedText(job, ahead), allowed_mentions: { parse: [] } },
        signal: AbortSignal.timeout(editTimeoutMs),
      });
      shown = ahead;
      updated++;
    } catch (error) {
      // A deleted message: nothing to update (the worker posts a new one when the job starts).
      if (error instanceof DiscordAPIError && error.status === 404) shown = ahead;
      // Lost permission, rate limit, timeout: the place stays stale and is tried again next round.
      else options.log?.warn({ jobId: job.id, err: error instanceof Error ? error.message : String(error) }, 'could not update a queued job message');
    } finally {
      await options.jobs.recordQueuePlace(job.id, shown);
    }
  }
  return updated;
}

/** Runs a round every `everyMs` (never two at once) until stopped. */
export function startQueuePlaceRefresher(options: QueuePlaceRefreshOptions & { readonly everyMs?: number }): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => refreshQueuePlaces(options)).catch((error: unknown) =>
      options.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'refreshing queue places failed; will retry'));
  }, options.everyMs ?? 5000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
