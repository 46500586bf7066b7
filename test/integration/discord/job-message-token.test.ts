// A job message lives on the confirming interaction's webhook only while its token does: a job that
// outlives the token (Discord's is 15 minutes; this fake's 2.5 s) finishes in the same message
// through the channel. A job confirmed outside Discord (no token) is posted in the channel. A job
// message Discord will no longer let the bot edit (older than an hour, past its cap: 30046) is
// replaced by a new one.
import { describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { buttonIds } from '../../support/discord-payloads.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { aRequest, confirm, finished, quote, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '290000000000000001';
const CHANNEL = '290000000000000002';
const TOKEN_TTL_MS = 2500;

const f = usePipeline(2);
const env = useGuildBot(
  f,
  { guildId: GUILD, guildName: 'Short tokens', channelId: CHANNEL },
  { interactionTokenTtlMs: TOKEN_TTL_MS, oldMessageEditsPerHour: 1 },
);

/** A job confirmed by a tool (no interaction) in this guild's channel: funded, quoted, confirmed. */
async function toolJob(userId: string, prompt: string): Promise<string> {
  await f.ledger.grant({ key: `fund:${userId}`, userId, guildId: GUILD, kind: 'grant', amount: 10, expiresAt: null, actorId: 'test', reason: 'fund' });
  // The pipeline fixture's quotes are for another guild and channel: point this one at ours.
  const quoteId = await quote(f, userId, 2, aRequest({ prompt }));
  await f.database.sql.query(`UPDATE quote SET guild_id = $2, channel_id = $3 WHERE id = $1`, [quoteId, GUILD, CHANNEL]);
  const confirmed = await confirm(f, quoteId, userId);
  if (!confirmed.ok) throw new Error(`confirm failed: ${confirmed.error.code}`);
  return confirmed.value.jobId;
}

describe('a job that outlives its interaction token', () => {
  it('is posted through the webhook, then finished in the same message through the channel', async () => {
    const { fake } = env;
    f.startWorker(createLocalProvider({ delayMs: TOKEN_TTL_MS + 1500 }), {
      delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs, progressEveryMs: 500 }),
    });
    const user = { id: '390000000000000001', username: 'patient' };
    const quoted = await fake
      .slashCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a very slow glacier' }] })
      .answer();
    await fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(quoted.data)[0]! }).answer();
    const {
      rows: [job],
    } = await waitFor(
      async () => {
        const result = await f.database.sql.query(`SELECT id, message_id FROM generation_job WHERE user_id = $1 AND message_id IS NOT NULL`, [user.id]);
        return result.rows.length > 0 ? result : null;
      },
      5000,
      'the job message',
    );
    expect((await finished(f, job.id)).status).toBe('succeeded');

    const writes = fake.messages.filter((m) => m.messageId === job.message_id);
    expect(writes[0]).toMatchObject({ action: 'create', via: 'interaction' });
    // The images landed in that same message, through the channel once Discord refused the token.
    const result = writes.filter((m) => m.files.length > 0);
    expect(result).toHaveLength(1);
    expect(result[0]!.via).toBe('channel');
    expect(fake.requests.some((r) => r.path.includes('/webhooks/') && r.status === 401)).toBe(true);
    // No other message carries the job.
    expect(fake.messages.filter((m) => m.action === 'create' && JSON.stringify(m.payload).includes('a very slow glacier'))).toHaveLength(1);
  });

  it('a job with no interaction (confirmed by a tool) gets its message in the channel', async () => {
    const { fake } = env;
    const jobId = await toolJob('390000000000000002', 'a tool-made kite');
    expect((await finished(f, jobId)).status).toBe('succeeded');
    const posted = fake.messages.filter((m) => JSON.stringify(m.payload).includes('a tool-made kite'));
    expect(posted.map((m) => [m.action, m.via])).toEqual(expect.arrayContaining([['create', 'channel']]));
    expect(posted.every((m) => m.via === 'channel')).toBe(true);
  });
});

describe('a job message Discord will no longer let the bot edit', () => {
  it('is replaced by a new message carrying the result, and the old one is deleted', async () => {
    const { fake } = env;
    const jobId = await toolJob('390000000000000003', 'an ancient lighthouse');
    // "Generating…" is posted when the job starts; then the message turns out to be over an hour
    // old, and Discord's cap on edits of such messages (1 an hour in this fake) runs out under the progress.
    const first = await waitFor(async () => (await f.jobs.get(jobId))?.messageId ?? null, 5000, 'the job message');
    fake.ageMessage(first, 2 * 60 * 60_000);
    expect((await finished(f, jobId)).status).toBe('succeeded');
    expect(fake.requests.some((r) => r.status === 400 && r.path.endsWith(`/messages/${first}`))).toBe(true);
    const now = (await f.jobs.get(jobId))!.messageId!;
    expect(now).not.toBe(first);
    expect(fake.message(first)).toBeUndefined();
    const withImages = fake.messages.filter((m) => m.files.length > 0 && JSON.stringify(m.payload).includes('an ancient lighthouse'));
    expect(withImages.map((m) => m.messageId)).toEqual([now]);
  });
});
