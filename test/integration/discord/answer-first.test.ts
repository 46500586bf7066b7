// Every interaction is acknowledged before its handler touches anything that a burst of other work
// can hold up (here: a table locked in PostgreSQL); an interaction Discord no longer accepts runs
// nothing; and when something fails after credits were held, the member is told they are held.
import { describe, expect, it } from 'vitest';
import { captureLog } from '../../support/captured-log.js';
import { buttonIds, contentOf } from '../../support/discord-payloads.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '280000000000000001';
const CHANNEL = '280000000000000002';
let sequence = 0;
const aMember = () => ({ id: `38000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });
const at = { guildId: GUILD, channelId: CHANNEL };

const f = usePipeline(1);
const captured = captureLog('info');
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Answer first', channelId: CHANNEL }, {}, { log: captured.log });

const rowsFor = async (userId: string) =>
  (
    await f.database.sql.query<{ quotes: number; entries: number; jobs: number }>(
      `
  SELECT (SELECT count(*)::int FROM quote WHERE user_id = $1) AS quotes, (SELECT count(*)::int FROM ledger_entry WHERE user_id = $1) AS entries,
         (SELECT count(*)::int FROM generation_job WHERE user_id = $1) AS jobs`,
      [userId],
    )
  ).rows[0]!;

describe('answering first', () => {
  it('acknowledges /imagine while the database is stuck, and edits the quote in once it is free', async () => {
    const locker = await f.database.sql.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE quote IN ACCESS EXCLUSIVE MODE');
      const handle = env.fake.slashCommand({ ...at, user: aMember(), name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a locked door' }] });
      // The "thinking…" acknowledgement arrives although the handler is waiting on the lock.
      const callback = await handle.response(2000);
      expect(callback).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(handle.webhookCalls()).toEqual([]);
      await locker.query('COMMIT');
      const answer = await handle.answer(10_000);
      expect(buttonIds(answer.data)[0]).toMatch(/^quote:generate:/);
    } finally {
      locker.release();
    }
  });

  it('does not hold answers back behind discord.js’s own 50-a-second guard: Discord does not count interaction webhooks', async () => {
    const selfLimited: unknown[] = [];
    const onLimited = (info: { global: boolean }) => info.global && selfLimited.push(info);
    env.bot.client.rest.on('rateLimited', onLimited);
    try {
      // 60 members at once: 60 acknowledgements and 60+ answers edited in within about a second.
      const handles = Array.from({ length: 60 }, () => env.fake.slashCommand({ ...at, user: aMember(), name: 'pricing' }));
      const answers = await Promise.all(handles.map((handle) => handle.answer(10_000)));
      expect(answers.every((answer) => answer.type === 5)).toBe(true);
    } finally {
      env.bot.client.rest.off('rateLimited', onLimited);
    }
    expect(selfLimited).toEqual([]);
    expect(env.fake.rateLimited.filter((limit) => limit.scope === 'global')).toEqual([]);
  });

  it('runs nothing for an interaction whose acknowledgement Discord refused (past its 3 s)', async () => {
    const user = aMember();
    // The acknowledgement reaches Discord too late, as under a stalled event loop or network.
    const late = env.fake.holdRequest((method, path) => method === 'POST' && path.endsWith('/callback'));
    const handle = env.fake.slashCommand({ ...at, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'too late' }] });
    await late.arrived;
    await new Promise((resolve) => setTimeout(resolve, 3100));
    late.release();
    await waitFor(async () => env.fake.requests.find((r) => r.path.endsWith(`/interactions/${handle.id}/${handle.token}/callback`)), 5000, 'the late callback');
    expect(env.fake.unacknowledged()).toContain(handle.id);
    // Once the bot is done with the interaction (handled or given up), nothing more can come of it.
    const done = ['interaction handled', 'interaction failed'];
    await waitFor(
      async () => captured.lines().some((line) => line['interactionId'] === handle.id && done.includes(String(line['msg']))),
      5000,
      'the bot to be done with it',
    );
    expect(await rowsFor(user.id)).toEqual({ quotes: 0, entries: 0, jobs: 0 });
    expect(handle.webhookCalls()).toEqual([]);
  });

  it('tells a member whose answer failed after the hold that their credits are held for the job, never that nothing was charged', async () => {
    const user = aMember();
    const quote = await env.fake.slashCommand({ ...at, user, name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'an unlucky answer' }] }).answer();
    const generate = buttonIds(quote.data).find((id) => id.startsWith('quote:generate:'))!;
    // Discord refuses the edit that would have said "Confirmed".
    env.fake.failRequest((method, path) => method === 'PATCH' && path.includes('/webhooks/') && decodeURIComponent(path).endsWith('/messages/@original'), 400, {
      message: 'Invalid Form Body',
      code: 50035,
    });
    const click = env.fake.buttonClick({ ...at, user, customId: generate });
    // A private follow-up (the public one beside it is the job message).
    const told = await waitFor(async () => click.webhookCalls().find((call) => call.kind === 'followup' && call.ephemeral), 10_000, 'the private note');
    const {
      rows: [job],
    } = await f.database.sql.query(`SELECT id, price FROM generation_job WHERE user_id = $1`, [user.id]);
    expect(contentOf(told.payload)).toMatch(
      new RegExp(`Something went wrong on our side \\(reference \\w+\\)\\. Your job \`${job.id}\` was confirmed and \\*\\*2 credits are held\\*\\*`),
    );
    expect(contentOf(told.payload)).not.toMatch(/nothing was charged/i);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ held: 2 });
    // The job itself went on: its public message is in the channel.
    await waitFor(async () => (await f.jobs.get(job.id))?.messageId ?? null, 5000, 'the job message');
  });
});
