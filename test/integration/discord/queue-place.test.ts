// "queued, position N" on the job message follows the queue, and a late "queued" edit can never
// land over the worker's "Generating…": the worker's first edit waits for the bot's edit of that job.
import { describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { refreshQueuePlaces } from '../../../src/use-cases/refresh-queue-places.js';
import type { RecordedMessage } from '../../../src/playground/local-discord/fake-discord.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { buttonIds } from '../../support/discord-payloads.js';
import { jobOfGenerate, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '260000000000000001';
const CHANNEL = '260000000000000002';
let sequence = 0;
const aMember = () => ({ id: `36000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });

// No worker runs here: the test moves the queue itself, by claiming jobs as a worker would.
const f = usePipeline(1);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Queue', channelId: CHANNEL });

/** /imagine and Generate by a new member: the queued job and its public message. */
async function queuedJob(): Promise<{ jobId: string; messageId: string }> {
  const user = aMember();
  const quote = (
    await env.fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user,
        name: 'imagine',
        options: [{ name: 'prompt', type: 3, value: `a queued lantern ${sequence}` }],
      })
      .answer()
  ).data;
  const generateId = buttonIds(quote).find((id) => id.startsWith('quote:generate:'))!;
  await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: generateId }).answer();
  return jobOfGenerate(f, generateId);
}
const claim = (jobId: string) => f.jobs.claim(jobId, 'test-worker', 60_000, { maxRunningForMember: 4 });
const textOf = (messageId: string) => {
  const last = env.fake.messages.filter((m: RecordedMessage) => m.messageId === messageId).at(-1);
  return String(last?.message['content'] ?? '');
};
const refresh = () => refreshQueuePlaces({ jobMessages: env.bot.jobMessages, jobs: f.jobs });

describe('queue places on job messages', () => {
  it('are edited as the queue moves, only where the place changed', async () => {
    const [first, second, third] = [await queuedJob(), await queuedJob(), await queuedJob()];
    expect([first, second, third].map((job) => textOf(job.messageId).split('\n')[0]!.replace(/^.*— /, ''))).toEqual([
      'queued, next up',
      'queued, position 1 (1 job ahead)',
      'queued, position 2 (2 jobs ahead)',
    ]);
    // Nothing moved yet: nothing to edit.
    expect(await refresh()).toBe(0);

    expect((await claim(first.jobId)).kind).toBe('claimed');
    expect(await refresh()).toBe(2);
    expect(textOf(second.messageId)).toMatch(/— queued, next up\n/);
    expect(textOf(third.messageId)).toMatch(/— queued, position 1 \(1 job ahead\)\n/);
    // The running job's message is not the refresher's to touch.
    expect(textOf(first.messageId)).toMatch(/— queued, next up\n/);
    expect(await refresh()).toBe(0);

    // Only the front of the queue is looked at: both places below change, but with a reach of
    // one only the first is stale as far as the refresher can see.
    const fourth = await queuedJob();
    expect((await claim(second.jobId)).kind).toBe('claimed');
    expect((await f.jobs.staleQueuePlaces(10, 1)).map((stale) => [stale.job.id, stale.ahead])).toEqual([[third.jobId, 0]]);
    expect((await f.jobs.staleQueuePlaces(10)).map((stale) => [stale.job.id, stale.ahead])).toEqual([
      [third.jobId, 0],
      [fourth.jobId, 1],
    ]);
    expect(await refresh()).toBe(2);
  });

  it('a worker that claims the job while the bot’s edit is on its way edits after it, so "Generating…" is what stays', async () => {
    const { jobId, messageId } = await queuedJob();
    await refresh();
    // The job at the front starts: this job's place changes.
    const {
      rows: [front],
    } = await f.database.sql.query(`SELECT id FROM generation_job WHERE status = 'queued' ORDER BY priority, created_at, id LIMIT 1`);
    expect(front.id).not.toBe(jobId);
    expect((await claim(front.id as string)).kind).toBe('claimed');
    // The refresher's edit of this message is slow to reach Discord…
    const late = env.fake.holdRequest((method, path) => method === 'PATCH' && path.endsWith(`/messages/${messageId}`));
    const refreshing = refresh();
    await late.arrived;
    // …meanwhile a worker claims the job and reports progress: its first edit of the message.
    expect((await claim(jobId)).kind).toBe('claimed');
    let polls = 0;
    const delivery = createDiscordDelivery({
      token: env.fake.token,
      apiUrl: env.fake.apiUrl,
      jobs: {
        ...f.jobs,
        queuePlaceEditingUntil: (id: string) => {
          polls++;
          return f.jobs.queuePlaceEditingUntil(id);
        },
      },
    });
    const progress = delivery.reportProgress((await f.jobs.get(jobId))!, {});
    // Either the worker has edited already (the race lost) or it is waiting for the bot's edit.
    await waitFor(
      async () => polls >= 2 || env.fake.messages.some((m) => m.messageId === messageId && /Generating/.test(String(m.message['content']))),
      5_000,
      'the worker to edit or wait',
    );
    late.release();
    expect(await refreshing).toBeGreaterThanOrEqual(1);
    await progress;
    expect(textOf(messageId)).toMatch(/— Generating…/);
    // Claimed, the job is no longer the refresher's: it cannot begin an edit of it.
    expect(await f.jobs.beginQueuePlaceEdit(jobId, new Date(Date.now() + 3000))).toBe(false);
  });
});
