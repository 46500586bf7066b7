// A Discord stingier than the real one (2 writes per 2 s per interaction token and per channel),
// so the bot, the worker and the refresher — each with its own REST client — do run into 429s on
// the same token: each 429 is waited out and the same write sent again, and no image is ever
// delivered twice or lost.
import { describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { buttonIds, contentOf } from '../../support/discord-payloads.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '300000000000000001';
const CHANNEL = '300000000000000002';
const MEMBERS = 6;
const JOBS_EACH = 2;

const f = usePipeline(3);
const env = useGuildBot(
  f,
  { guildId: GUILD, guildName: 'Stingy', channelId: CHANNEL },
  {
    rateLimits: { interactionWebhook: { limit: 2, windowMs: 2000 }, channelMessages: { limit: 2, windowMs: 2000 } },
  },
);

describe('deliveries that Discord rate-limits', () => {
  it('are waited out and sent again: every job delivered exactly once, the ledger exact', async () => {
    const { fake } = env;
    f.startWorker(createLocalProvider({ delayMs: 400 }), {
      concurrency: MEMBERS * JOBS_EACH,
      delivery: createDiscordDelivery({ token: fake.token, apiUrl: fake.apiUrl, jobs: f.jobs, progressEveryMs: 100 }),
    });
    const at = { guildId: GUILD, channelId: CHANNEL };
    await Promise.all(
      Array.from({ length: MEMBERS }, async (_, n) => {
        const user = { id: `40000000000000${String(n).padStart(4, '0')}`, username: `stingy${n}` };
        for (let job = 1; job <= JOBS_EACH; job++) {
          const quote = await fake
            .slashCommand({ ...at, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: `stingy ${n} picture ${job}` }] })
            .answer(20_000);
          const confirmed = await fake.buttonClick({ ...at, user, customId: buttonIds(quote.data)[0]! }).answer(20_000);
          expect(contentOf(confirmed.data)).toMatch(/^Confirmed/);
        }
      }),
    );
    const { rows: jobs } = await waitFor(
      async () => {
        const result = await f.database.sql.query<{ status: string; message_id: string | null; prompt: string; user_id: string }>(
          `SELECT status, message_id, request->>'prompt' AS prompt, user_id FROM generation_job WHERE guild_id = $1`,
          [GUILD],
        );
        return result.rows.length === MEMBERS * JOBS_EACH && result.rows.every((job) => job.status === 'succeeded') ? result : null;
      },
      90_000,
      'every job to succeed',
    );

    // Discord did refuse writes on the way.
    expect(fake.rateLimited.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const withImages = fake.messages.filter((m) => m.files.length > 0 && JSON.stringify(m.payload).includes(job.prompt));
      expect(
        withImages.map((m) => m.messageId),
        job.prompt,
      ).toEqual([job.message_id]);
      expect(
        fake.messages.filter((m) => m.action === 'create' && JSON.stringify(m.payload).includes(`**${job.prompt}**`)),
        job.prompt,
      ).toHaveLength(1);
    }
    for (const userId of new Set(jobs.map((job) => job.user_id)))
      expect(await f.ledger.balance(userId, GUILD)).toMatchObject({ available: 20 - 2 * JOBS_EACH, held: 0 });
    await expectLedgerConsistent(f.database);
  }, 120_000);
});
