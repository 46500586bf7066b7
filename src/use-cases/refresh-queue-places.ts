// Keeps "queued, position N" on job messages current as the queue moves: every few seconds the bot
// edits the messages whose place changed. Edits are rationed: Discord allows about 5 writes per 5 s
// in one channel (shared with deliveries and everyone's new job messages) and 5 per 2 s per
// interaction token, so each round spends at most one edit per token and a couple per channel,
// on the places that changed most (a member who moved from 40th to 3rd hears of it before one who
// moved from 3rd to 2nd). The rest wait for a later round.
//
// The race it must not lose: a worker claims the job while the bot's "queued" edit is in flight,
// and that edit lands after the worker's "Generating…" (or the images). So each edit is guarded:
// the bot marks the job (only while it is still queued: the mark and the claim are writes to the
// same row, so one of them comes first), edits with a time limit, then clears the mark; a worker
// that claimed the job meanwhile waits for the mark to clear, or to expire, before its first edit
// (src/discord/discord-delivery.ts). The mark outlives the edit's time limit, so an edit still
// unanswered is abandoned before the worker goes ahead.
import type { JobMessages } from './ports/job-messages.js';
import type { QueuePlaceStore, StaleQueuePlace } from './ports/job-store.js';
import type { WorkLog } from './ports/work-log.js';
import { errorMessage } from '../shared/error-message.js';

export interface QueuePlaceRefreshOptions {
  readonly jobMessages: Pick<JobMessages, 'showQueuePlace' | 'budgetOf'>;
  readonly jobs: QueuePlaceStore;
  /** Messages edited per round at most. @defaultValue 10 */
  readonly maxEdits?: number;
  /** Edits per round through one channel (jobs whose interaction token has expired). @defaultValue 2 */
  readonly maxEditsPerChannel?: number;
  /** An edit not answered by then is abandoned. @defaultValue 2.5 s */
  readonly editTimeoutMs?: number;
  readonly log?: WorkLog;
}

/** How far the shown place is from the real one; a message whose place was never recorded first. */
const staleness = ({ shown, ahead }: StaleQueuePlace) => (shown === null ? Number.POSITIVE_INFINITY : Math.abs(shown - ahead));

/** The stale places one round edits: most changed first, within each budget's share. */
export function pickQueuePlaceEdits(
  stale: readonly StaleQueuePlace[],
  budgetOf: (place: StaleQueuePlace) => string,
  maxEdits: number,
  maxPerChannel: number,
): StaleQueuePlace[] {
  const spent = new Map<string, number>();
  const picked: StaleQueuePlace[] = [];
  for (const place of [...stale].sort((a, b) => staleness(b) - staleness(a) || a.ahead - b.ahead)) {
    if (picked.length >= maxEdits) break;
    const budget = budgetOf(place);
    const allowance = budget.startsWith('channel:') ? maxPerChannel : 1;
    if ((spent.get(budget) ?? 0) >= allowance) continue;
    spent.set(budget, (spent.get(budget) ?? 0) + 1);
    picked.push(place);
  }
  return picked;
}

/** One round: edits the stale places its budgets allow; resolves with how many messages it updated. */
export async function refreshQueuePlaces(options: QueuePlaceRefreshOptions): Promise<number> {
  const editTimeoutMs = options.editTimeoutMs ?? 2500;
  const maxEdits = options.maxEdits ?? 10;
  const stale = (await options.jobs.staleQueuePlaces(maxEdits * 5)).filter((place) => place.job.messageId !== null);
  const edits = pickQueuePlaceEdits(stale, (place) => options.jobMessages.budgetOf(place.job), maxEdits, options.maxEditsPerChannel ?? 2);
  const updated = await Promise.all(
    edits.map(async ({ job, ahead }) => {
      // A margin past the edit's own limit: by the time the mark expires the edit is settled or abandoned.
      if (!(await options.jobs.beginQueuePlaceEdit(job.id, new Date(Date.now() + editTimeoutMs + 500)))) return 0;
      let shown: number | null = null;
      try {
        const edited = await options.jobMessages.showQueuePlace(job, ahead, AbortSignal.timeout(editTimeoutMs));
        // A deleted message (false) has nothing to update: the worker posts a new one when the job starts.
        shown = ahead;
        return edited ? 1 : 0;
      } catch (error) {
        // Lost permission, timeout: the place stays stale and is tried again next round.
        options.log?.warn({ jobId: job.id, err: errorMessage(error) }, 'could not update a queued job message');
        return 0;
      } finally {
        await options.jobs.recordQueuePlace(job.id, shown);
      }
    }),
  );
  return updated.reduce<number>((sum, n) => sum + n, 0);
}

/** Runs a round every `everyMs` (never two at once) until stopped. */
export function startQueuePlaceRefresher(options: QueuePlaceRefreshOptions & { readonly everyMs?: number }): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => refreshQueuePlaces(options))
      .catch((error: unknown) => options.log?.warn({ err: errorMessage(error) }, 'refreshing queue places failed; will retry'));
  }, options.everyMs ?? 5000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
