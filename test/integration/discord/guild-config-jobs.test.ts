// The guild config where jobs run: set with /admin config through the fake Discord, confirmed
// with Generate, run by a real worker and delivered to the fake Discord's channel. Spoilered
// results, the guild's running-job limit, and the NSFW decision reaching the provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createBot } from '../../../src/discord/bot.js';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import type { PriceCard } from '../../../src/domain/pricing/price-card-schema.js';
import { loadPriceCardOrThrow } from '../../../src/pricing/load-price-card.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import type { GenerationContext, GenerationRequest, ImageProvider } from '../../../src/use-cases/ports/image-provider.js';
import { FakeDiscord } from '../../../src/playground/local-discord/fake-discord.js';
import type { FakeChannelInput, Json } from '../../../src/playground/local-discord/payloads.js';
import { startTestBot } from '../../support/bot-fixture.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { finished, putOffForMember, usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '230000000000000001';
const ART: FakeChannelInput = { id: '230000000000000002', name: 'art', type: 0 };
const LOUNGE: FakeChannelInput = { id: '230000000000000003', name: 'lounge', type: 0, nsfw: true };
const adminPermissions = ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 31n)).toString();

let sequence = 0;
const aUser = () => ({ id: `33000000000000${String(++sequence).padStart(4, '0')}`, username: `user${sequence}` });
const admin = aUser();

/**
 * The local provider, watched: records every request it starts, and holds prompts starting
 * with "slow" until released.
 */
class WatchedProvider implements ImageProvider {
  readonly name = 'local' as const;
  readonly requests: GenerationRequest[] = [];
  private readonly local = createLocalProvider();
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  async generate(request: GenerationRequest, context: GenerationContext) {
    this.requests.push(request);
    if (request.prompt.startsWith('slow')) await this.gate;
    return this.local.generate({ ...request, width: 256, height: 256 }, context);
  }

  releaseSlow(): void {
    this.release();
  }
}

const f = usePipeline(3);
let fake: FakeDiscord;
let bot: ReturnType<typeof createBot>;
let card: PriceCard;
const provider = new WatchedProvider();

beforeAll(async () => {
  card = await loadPriceCardOrThrow();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Jobs Config Test', channels: [ART, LOUNGE] });
  bot = await startTestBot(f, fake, card);
  // The fixture's tier limit is 4 jobs at once: only the guild's setting can bring it to 1.
  f.startWorker(provider, { delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs }), deferMs: 100 });
});
afterAll(async () => {
  provider.releaseSlow();
  await bot?.stop();
  await fake?.close();
});

async function config(sub: string, options: Json[]) {
  const handle = fake.slashCommand({
    guildId: GUILD,
    channelId: ART.id,
    user: admin,
    name: 'admin',
    permissions: adminPermissions,
    options: [{ type: 2, name: 'config', options: [{ type: 1, name: sub, options }] }],
  });
  const data = (await handle.answer()).data as Record<string, unknown>;
  expect(String(data['content'])).not.toMatch(/Nothing changed|Only server admins/);
}

/** /imagine then Generate; returns the confirmed job's id. */
async function generate(user: { id: string; username: string }, prompt: string, channelId = ART.id): Promise<string> {
  const quoted = (await fake.slashCommand({ guildId: GUILD, channelId, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: prompt }] }).answer())
    .data as Json;
  const generateId = (quoted['components'] as { components: { custom_id: string }[] }[])[0]!.components[0]!.custom_id;
  const click = await fake.buttonClick({ guildId: GUILD, channelId, user, customId: generateId }).answer();
  expect(String((click.data as { content: string }).content)).toMatch(/^Confirmed/);
  const { rows } = await f.database.sql.query(`SELECT id FROM generation_job WHERE user_id = $1 AND request->>'prompt' = $2`, [user.id, prompt]);
  return rows[0].id as string;
}

// The job message is posted when queued and edited with the images: wait for the one with files.
const deliveredTo = (prompt: string) => fake.waitForMessage((m) => m.files.length > 0 && JSON.stringify(m.payload).includes(prompt), 20_000);

describe('guild config on running jobs', () => {
  it('spoilers results (SPOILER_ file names) while the setting is on, and only then', async () => {
    await config('spoiler', [{ type: 5, name: 'on', value: true }]);
    const member = aUser();
    await generate(member, 'a hidden fox');
    expect((await deliveredTo('a hidden fox')).files.map((file) => file.name)).toEqual(['SPOILER_image-1.png']);

    await config('spoiler', [{ type: 5, name: 'on', value: false }]);
    await generate(member, 'a visible fox');
    expect((await deliveredTo('a visible fox')).files.map((file) => file.name)).toEqual(['image-1.png']);
    // Both delivered and charged: 20 free − 2 × 2 credits.
    await waitFor(async () => (await f.ledger.balance(member.id, GUILD)).held === 0 || null);
    expect(await f.ledger.balance(member.id, GUILD)).toMatchObject({ available: 16, held: 0 });
    await expectLedgerConsistent(f.database);
  });

  it('passes allowNsfw to the provider only for jobs from an age-restricted channel, when the guild allows it', async () => {
    const member = aUser();
    await generate(member, 'a lounge portrait, blocked', LOUNGE.id);
    await config('nsfw', [{ type: 3, name: 'mode', value: 'age-restricted-channels' }]);
    await generate(member, 'a lounge portrait, allowed', LOUNGE.id);
    await generate(member, 'an art portrait', ART.id);
    const requestFor = (prompt: string) => waitFor(async () => provider.requests.find((request) => request.prompt === prompt), 20_000, prompt);
    expect((await requestFor('a lounge portrait, allowed')).allowNsfw).toBe(true);
    expect((await requestFor('a lounge portrait, blocked')).allowNsfw).toBeUndefined();
    expect((await requestFor('an art portrait')).allowNsfw).toBeUndefined();
    await config('nsfw', [{ type: 3, name: 'mode', value: 'blocked' }]);
  });

  it('holds a member to the guild’s running-job limit, lower than the tier’s', async () => {
    await config('job-limit', [{ type: 4, name: 'count', value: 1 }]);
    const member = aUser();
    const first = await generate(member, 'slow one');
    await waitFor(async () => provider.requests.some((request) => request.jobId === first) || null);
    const second = await generate(member, 'slow two');
    // The worker has room for 4, but it picks the second job up and puts it off for the limit.
    await putOffForMember(f, [second]);
    expect(provider.requests.some((request) => request.jobId === second)).toBe(false);
    expect((await f.jobs.get(second))?.status).toBe('queued');
    expect((await f.ledger.balance(member.id, GUILD)).held).toBe(4);

    provider.releaseSlow();
    expect((await finished(f, first)).status).toBe('succeeded');
    expect((await finished(f, second)).status).toBe('succeeded');
    expect(await f.ledger.balance(member.id, GUILD)).toMatchObject({ available: 16, held: 0 });
    await expectLedgerConsistent(f.database);
  });
});
