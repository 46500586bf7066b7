// Writes a job's public message, wherever it can go fastest. While the token of the interaction
// that confirmed the job lives, the message is that interaction's follow-up and is written through
// its webhook: Discord gives each interaction token its own budget (5 per 2 s) and does not count
// it against the bot's global limit, whereas every new message and edit in one channel shares
// about 5 per 5 s — in a busy channel, dozens of jobs would queue behind each other. Past the
// token's life (15 minutes), or when Discord refuses the token, the same message is edited
// through the channel. A deleted message is posted again and its new id stored, so a retried
// job (on any worker) keeps writing to one message; so is one Discord will no longer let us edit
// (older than an hour, past its cap on such edits), the old one deleted.
import { DiscordAPIError, makeURLSearchParams, REST, Routes, type APIMessage, type RawFile } from 'discord.js';
import type { InteractionWebhook, JobMessageStore, JobRecord } from '../use-cases/adapter-contracts.js';

export interface JobMessageWrite {
  readonly body: Record<string, unknown>;
  /** New attachments; the body's `attachments` says which of the old ones stay. */
  readonly files?: readonly RawFile[];
  /** Abandons the write (discord.js stops waiting, also while rate-limited). */
  readonly signal?: AbortSignal;
}

export interface JobMessageSender {
  /** Edits the job's message, or posts it when the job has none yet or it was deleted. */
  write(job: JobRecord, message: JobMessageWrite): Promise<APIMessage>;
  /** Edits the job's message only: null when it has none or it is gone (nothing is posted). */
  update(job: JobRecord, message: JobMessageWrite): Promise<APIMessage | null>;
  /** Posts one more message for the job (images past the tenth), by the same route. */
  postExtra(job: JobRecord, message: JobMessageWrite): Promise<APIMessage>;
  /** Drops what this sender remembers of the job (call when the job is done with). */
  forget(jobId: string): void;
  /** Which rate-limit budget a write for the job spends: its token's, or its channel's. */
  budgetOf(job: JobRecord): string;
}

export interface JobMessageSenderOptions {
  /** The bot's REST client (channel routes, bot token). */
  readonly rest: REST;
  /** REST base URL (`DISCORD_API_URL`) for the webhook client. @defaultValue Discord's */
  readonly apiUrl?: string;
  readonly jobs: JobMessageStore;
  /** Stop using a token this long before it expires: a write begun just before could fail midway. @defaultValue 60 s */
  readonly tokenMarginMs?: number;
  readonly now?: () => number;
}

/**
 * A client for interaction webhooks only: they carry their token in the path (no Authorization
 * header) and Discord leaves them out of the bot's 50 requests/s, so discord.js need not count
 * them either (it would otherwise hold follow-ups back behind unrelated channel traffic).
 */
export const createInteractionWebhookRest = (apiUrl?: string): REST =>
  new REST({ version: '10', globalRequestsPerSecond: Number.POSITIVE_INFINITY, ...(apiUrl ? { api: apiUrl } : {}) });

/** Discord refused the interaction's token: expired (50027) or unknown (10015). */
const tokenRefused = (error: unknown) => error instanceof DiscordAPIError && (error.code === 50027 || error.code === 10015);
/** Discord caps edits of messages older than an hour (30046): such a message is replaced. */
const tooOldToEdit = (error: unknown) => error instanceof DiscordAPIError && error.code === 30046;
/** The message is gone (10008), or too old to edit again for now: write a new one. */
const needsNewMessage = (error: unknown) =>
  error instanceof DiscordAPIError && (error.code === 10008 || tooOldToEdit(error) || (error.status === 404 && !tokenRefused(error)));

export function createJobMessageSender(options: JobMessageSenderOptions): JobMessageSender {
  const webhookRest = createInteractionWebhookRest(options.apiUrl);
  const now = options.now ?? Date.now;
  const tokenMarginMs = options.tokenMarginMs ?? 60_000;
  /** The message id as this process last knew it (a repost changes it mid-job). */
  const knownIds = new Map<string, string>();
  /** Jobs whose token Discord refused: the channel from now on. */
  const refusedTokens = new Set<string>();

  const liveWebhook = (job: JobRecord): InteractionWebhook | null =>
    job.interaction !== null && !refusedTokens.has(job.id) && job.interaction.expiresAt.getTime() - tokenMarginMs > now() ? job.interaction : null;

  const request = (message: JobMessageWrite) => ({
    body: message.body,
    ...(message.files ? { files: [...message.files] } : {}),
    ...(message.signal ? { signal: message.signal } : {}),
  });

  /** Runs `viaWebhook` while the token lives; once Discord refuses the token, `viaChannel` from then on. */
  async function route<T>(job: JobRecord, viaWebhook: (hook: InteractionWebhook) => Promise<T>, viaChannel: () => Promise<T>): Promise<T> {
    const hook = liveWebhook(job);
    if (hook === null) return viaChannel();
    try {
      return await viaWebhook(hook);
    } catch (error) {
      if (!tokenRefused(error)) throw error;
      refusedTokens.add(job.id);
      return viaChannel();
    }
  }

  const post = (job: JobRecord, message: JobMessageWrite) =>
    route(
      job,
      async (hook) =>
        (await webhookRest.post(Routes.webhook(hook.applicationId, hook.token), {
          ...request(message),
          query: makeURLSearchParams({ wait: true }),
          auth: false,
        })) as APIMessage,
      async () => (await options.rest.post(Routes.channelMessages(job.channelId), request(message))) as APIMessage,
    );

  const edit = (job: JobRecord, messageId: string, message: JobMessageWrite) =>
    route(
      job,
      async (hook) =>
        (await webhookRest.patch(Routes.webhookMessage(hook.applicationId, hook.token, messageId), { ...request(message), auth: false })) as APIMessage,
      async () => (await options.rest.patch(Routes.channelMessage(job.channelId, messageId), request(message))) as APIMessage,
    );

  const remove = (job: JobRecord, messageId: string) =>
    route(
      job,
      (hook) => webhookRest.delete(Routes.webhookMessage(hook.applicationId, hook.token, messageId), { auth: false }),
      () => options.rest.delete(Routes.channelMessage(job.channelId, messageId)),
    );

  return {
    async write(job, message) {
      const existing = knownIds.get(job.id) ?? job.messageId;
      let replaced: string | null = null;
      if (existing !== null) {
        try {
          return await edit(job, existing, message);
        } catch (error) {
          if (!needsNewMessage(error)) throw error;
          if (tooOldToEdit(error)) replaced = existing;
        }
      }
      const posted = await post(job, message);
      // Only if no one else stored another message meanwhile (the bot and a worker may both post).
      const stored = await options.jobs.setMessageId(job.id, posted.id, existing);
      knownIds.set(job.id, stored ?? posted.id);
      if (stored === null || stored === posted.id) {
        // The message that could no longer be edited goes, so the job shows one message, current.
        if (replaced !== null) await remove(job, replaced).catch(() => undefined);
        return posted;
      }
      // Someone else's message won: ours goes, and this write lands in theirs.
      await remove(job, posted.id).catch(() => undefined);
      return edit(job, stored, message);
    },
    async update(job, message) {
      const existing = knownIds.get(job.id) ?? job.messageId;
      if (existing === null) return null;
      try {
        return await edit(job, existing, message);
      } catch (error) {
        if (needsNewMessage(error)) return null;
        throw error;
      }
    },
    postExtra: post,
    forget(jobId) {
      knownIds.delete(jobId);
      refusedTokens.delete(jobId);
    },
    budgetOf(job) {
      const hook = liveWebhook(job);
      return hook === null ? `channel:${job.channelId}` : `token:${hook.token}`;
    },
  };
}
