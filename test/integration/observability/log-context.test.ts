// Logs as an operator reads them: every line of a job's work names the job, every line of an
// interaction's handling names the interaction (with member, server and command), and no token
// shows up. Real pino output from the real worker, provider, delivery and discord.js bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import type { createBot } from '../../../src/discord/bot.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { createReplicateProvider } from '../../../src/providers/replicate-provider.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import { FakeDiscordRest } from '../../fakes/fake-discord-rest.js';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { captureLog } from '../../support/captured-log.js';
import { aRequest, confirm, finished, fund, guildId, newMember, usePipeline } from '../../support/pipeline-fixture.js';

const f = usePipeline(3);
let replicate: FakeReplicate;
let rest: FakeDiscordRest;
let discord: FakeDiscord;
let bot: ReturnType<typeof createBot> | undefined;

beforeAll(async () => {
  replicate = await FakeReplicate.start();
  rest = await FakeDiscordRest.start();
  discord = await FakeDiscord.start();
});
afterAll(async () => {
  await bot?.stop();
  await Promise.all([replicate?.close(), rest?.close(), discord?.close()]);
});

describe('a job’s log lines', () => {
  it('all carry the job id, from the worker through the provider to the delivery; no token appears', async () => {
    const captured = captureLog('debug', { secrets: [replicate.token, rest.token] });
    f.startWorker(createReplicateProvider({ token: replicate.token, baseUrl: replicate.baseUrl, pollIntervalMs: 20 }), {
      delivery: createDiscordDelivery({ token: rest.token, apiUrl: rest.apiUrl, jobs: f.jobs, log: captured.log }),
      log: captured.log,
    });
    rest.forbiddenChannels.add('locked-channel');
    const userId = newMember();
    await fund(f, userId, 100);
    const delivered = await f.jobs.createQuote({
      userId,
      guildId,
      channelId: 'channel-1',
      request: aRequest({ prompt: 'logged and delivered' }),
      breakdown: {},
      price: 5,
      tierName: 'starter',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const refused = await f.jobs.createQuote({
      userId,
      guildId,
      channelId: 'locked-channel',
      request: aRequest({ prompt: 'logged and refused' }),
      breakdown: {},
      price: 5,
      tierName: 'starter',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const jobIds: string[] = [];
    for (const quoteId of [delivered, refused]) {
      const confirmed = await confirm(f, quoteId, userId);
      if (!confirmed.ok) throw new Error('confirm failed');
      jobIds.push(confirmed.value.jobId);
    }
    for (const jobId of jobIds) await finished(f, jobId);

    const lines = captured.lines();
    const messagesOf = (jobId: string) => lines.filter((line) => line['jobId'] === jobId).map((line) => line['msg']);
    // Two jobs ran side by side on one worker: each line belongs to exactly one of them.
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(jobIds, JSON.stringify(line)).toContain(line['jobId']);
    expect(messagesOf(jobIds[0]!)).toEqual(expect.arrayContaining(['generating', 'replicate prediction', 'images delivered']));
    expect(messagesOf(jobIds[1]!)).toEqual(
      expect.arrayContaining(['generating', 'replicate prediction', 'Discord refused an upload; those images are not charged', 'images delivered']),
    );
    const text = captured.raw.join('');
    expect(text).not.toContain(replicate.token);
    expect(text).not.toContain(rest.token);
  });
});

describe('an interaction’s log lines', () => {
  it('all carry the interaction id, member, server and command; a button click gets its own id', async () => {
    const GUILD = '230000000000000001';
    const CHANNEL = '230000000000000002';
    const user = { id: '330000000000000001', username: 'logger' };
    discord.addGuild({ id: GUILD, name: 'Logs', channels: [{ id: CHANNEL, name: 'art', type: 0 }] });
    const captured = captureLog('debug', { secrets: [discord.token] });
    bot = await startTestBot(f, discord, await loadPriceCardOrThrow(), { log: captured.log });
    const startupLines = captured.raw.length;

    const command = discord.slashCommand({
      guildId: GUILD,
      channelId: CHANNEL,
      user,
      name: 'imagine',
      options: [{ name: 'prompt', type: 3, value: 'a logged owl' }],
    });
    const quote = (await command.answer()).data as { components: { components: { custom_id: string }[] }[] };
    const generate = quote.components[0]!.components[0]!.custom_id;
    await discord.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: generate }).answer();
    await expect.poll(() => captured.lines().filter((line) => line['msg'] === 'interaction handled').length).toBe(2);

    const lines = captured.lines().slice(startupLines);
    for (const line of lines) {
      expect(line, JSON.stringify(line)).toMatchObject({
        interactionId: expect.stringMatching(/^\d+$/),
        userId: user.id,
        guildId: GUILD,
        kind: expect.any(String),
      });
    }
    const byKind = new Map(lines.map((line) => [line['kind'], line['interactionId']]));
    expect([...byKind.keys()].sort()).toEqual(['button:quote:generate', 'imagine']);
    expect(byKind.get('imagine')).not.toBe(byKind.get('button:quote:generate'));
    expect(captured.raw.join('')).not.toContain(discord.token);
  });
});
