// A crowd in one channel, against a Discord that enforces its real limits (the fake's defaults:
// 5 writes per 5 s per channel, 5 per 2 s per interaction token, 50/s global, the 3 s deadline):
// 40 members each run /balance, then /imagine and Generate five times, then /balance again
// (480 interactions, 200 jobs) while a worker renders each image in 1.5 s. Every interaction is
// acknowledged in time, every job is delivered exactly once into its own message, and every
// member's ledger is exact, whatever 429s Discord answered on the way.
import { describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { buttonIds, contentOf } from '../../support/discord-payloads.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '270000000000000001';
const CHANNEL = '270000000000000002';
const MEMBERS = 40;
const JOBS_EACH = 5;
const PROVIDER_MS = 1500;

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Busy', channelId: CHANNEL });
const member = (n: number) => ({ id: `37000000000000${String(n).padStart(4, '0')}`, username: `crowd${n}` });

describe('a busy channel', () => {
  it(`answers ${MEMBERS * (2 + 2 * JOBS_EACH)} interactions in time and delivers ${MEMBERS * JOBS_EACH} jobs exactly once each, under Discord's limits`, async () => {
    const { fake } = env;
    f.startWorker(createLocalProvider({ delayMs: PROVIDER_MS }), {
      concurrency: 20,
      delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs }),
    });
    const at = { guildId: GUILD, channelId: CHANNEL };

    async function memberSession(n: number): Promise<void> {
      const user = member(n);
      await fake.slashCommand({ ...at, user, name: 'balance' }).answer(10_000);
      for (let job = 1; job <= JOBS_EACH; job++) {
        const quote = await fake
          .slashCommand({ ...at, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: `crowd ${n} picture ${job}` }] })
          .answer(10_000);
        const generate = buttonIds(quote.data).find((id) => id.startsWith('quote:generate:'));
        expect(generate, contentOf(quote.data)).toBeDefined();
        const confirmed = await fake.buttonClick({ ...at, user, customId: generate! }).answer(10_000);
        expect(contentOf(confirmed.data)).toMatch(/^Confirmed: 2 credits held/);
      }
      await fake.slashCommand({ ...at, user, name: 'balance' }).answer(10_000);
    }
    await Promise.all(Array.from({ length: MEMBERS }, (_, n) => memberSession(n)));

    // Every interaction was acknowledged, within Discord's 3 s (a later one would have been refused).
    expect(fake.unacknowledged()).toEqual([]);
    const latencies = fake.latencies();
    expect(latencies).toHaveLength(MEMBERS * (2 + 2 * JOBS_EACH));
    expect(Math.max(...latencies.map((l) => l.latencyMs))).toBeLessThan(3000);

    const { rows: jobs } = await waitFor(
      async () => {
        const result = await f.database.sql.query<{ id: string; user_id: string; status: string; message_id: string | null; prompt: string }>(
          `SELECT id, user_id, status, message_id, request->>'prompt' AS prompt FROM generation_job WHERE guild_id = $1`,
          [GUILD],
        );
        return result.rows.length === MEMBERS * JOBS_EACH && result.rows.every((job) => job.status === 'succeeded') ? result : null;
      },
      120_000,
      'every job to succeed',
    );

    for (const job of jobs) {
      // Exactly one write carried images, into the job's own message, and no other message has them.
      const withImages = fake.messages.filter((m) => m.files.length > 0 && JSON.stringify(m.payload).includes(job.prompt));
      expect(
        withImages.map((m) => m.messageId),
        job.prompt,
      ).toEqual([job.message_id]);
      expect(
        fake.messages.filter((m) => m.action === 'create' && JSON.stringify(m.payload).includes(`**${job.prompt}**`)),
        job.prompt,
      ).toHaveLength(1);
      expect(String(fake.message(job.message_id!)?.['content'])).toMatch(/— done/);
    }
    // Each member paid exactly 5 × 2 of their 20 free credits, and nothing is left held.
    for (let n = 0; n < MEMBERS; n++) expect(await f.ledger.balance(member(n).id, GUILD), `member ${n}`).toMatchObject({ available: 10, held: 0 });
    await expectLedgerConsistent(f.database);
  }, 180_000);
});
