// /imagine and /balance through the real discord.js client against the fake Discord, on the real
// ledger, job store and queue: the quote, Generate by its owner (once, however often clicked),
// a stranger's click, too few credits, Cancel.
import { describe, expect, it } from 'vitest';
import { createDiscordDelivery } from '../../../src/discord/discord-delivery.js';
import { createLocalProvider } from '../../../src/providers/local-provider.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { buttonIds, embedText } from '../../support/discord-payloads.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '210000000000000001';
const CHANNEL = '210000000000000002';
const STARTER_ROLE = '210000000000000003';
let sequence = 0;
const aMember = () => ({ id: `31000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Imagine Test', channelId: CHANNEL, starterRoleId: STARTER_ROLE });

async function imagine(user: { id: string; username: string }, options: { name: string; type: number; value: string | number }[], roles: string[] = []) {
  const handle = env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles, name: 'imagine', options });
  return (await handle.answer()).data as Record<string, unknown>;
}

describe('/imagine', () => {
  it('registers its slash commands on start', () => {
    expect(env.fake.commands().map((c) => c['name'])).toEqual([
      'imagine',
      'balance',
      'topup',
      'subscribe',
      'show',
      'settings',
      'batch',
      'history',
      'usage',
      'pricing',
      'estimate',
      'admin',
      'edit',
    ]);
  });

  it('replies privately with the exact price, its breakdown, the balance after, and Generate / Cancel', async () => {
    const user = aMember();
    const data = await imagine(user, [{ name: 'prompt', type: 3, value: 'a red fox in snow' }]);
    expect(data['flags']).toBe(64);
    // No tier role: the free daily 20 credits and the fast model; 1024×1024 flux-schnell costs 2.
    expect(embedText(data)).toContain('2 credits ($0.02)');
    expect(embedText(data)).toContain('flux-schnell 1.5/MP × 1.05 MP');
    expect(embedText(data)).toContain('20 → **18** after this');
    expect(buttonIds(data)).toEqual([expect.stringMatching(/^quote:generate:/), expect.stringMatching(/^quote:cancel:/)]);
  });

  it('takes an aspect ratio as a choice and maps it to the model’s nearest size; size and aspect together are refused', async () => {
    const user = aMember();
    const wide = await imagine(user, [
      { name: 'prompt', type: 3, value: 'a wide valley' },
      { name: 'aspect', type: 3, value: '16:9' },
    ]);
    expect(embedText(wide)).toContain('flux-schnell · 1344x768');
    const tall = await imagine(user, [
      { name: 'prompt', type: 3, value: 'a tall tower' },
      { name: 'aspect', type: 3, value: '2:3' },
    ]);
    expect(embedText(tall)).toContain('flux-schnell · 832x1216');
    const both = await imagine(user, [
      { name: 'prompt', type: 3, value: 'a valley' },
      { name: 'size', type: 3, value: '1024x1024' },
      { name: 'aspect', type: 3, value: '16:9' },
    ]);
    expect(both['content']).toBe('Give either a `size` or an `aspect`, not both. Nothing was charged.');
  });

  it('refuses what the tier may not use, saying which tier unlocks it, and moves nothing', async () => {
    const user = aMember();
    const data = await imagine(user, [
      { name: 'prompt', type: 3, value: 'x' },
      { name: 'model', type: 3, value: 'flux-dev' },
    ]);
    expect(String(data['content'])).toMatch(/flux-dev/);
    expect(String(data['content'])).toMatch(/pro/i);
    expect(buttonIds(data)).toEqual([]);
    // Refused before anything was written: no quote, and not even today's free grant.
    const { rows } = await f.database.sql.query<{ quotes: number; entries: number }>(
      `
      SELECT (SELECT count(*)::int FROM quote WHERE user_id = $1) AS quotes, (SELECT count(*)::int FROM ledger_entry WHERE user_id = $1) AS entries`,
      [user.id],
    );
    expect(rows[0]).toEqual({ quotes: 0, entries: 0 });
  });

  it('refuses a prompt of only invisible characters (or spaces) with a plain reason, before any credit moves or quote is stored', async () => {
    const user = aMember();
    for (const prompt of ['\u200b\u200d', '\u2060 \ufeff', '\u3164', '   ']) {
      const data = await imagine(user, [{ name: 'prompt', type: 3, value: prompt }]);
      expect(data, JSON.stringify(prompt)).toMatchObject({
        flags: 64,
        content:
          'Your prompt is empty once invisible characters (zero-width spaces, joiners and the like) are removed — describe what to draw. Nothing was charged.',
      });
      expect(buttonIds(data)).toEqual([]);
    }
    const { rows } = await f.database.sql.query<{ quotes: number; entries: number }>(
      `
      SELECT (SELECT count(*)::int FROM quote WHERE user_id = $1) AS quotes, (SELECT count(*)::int FROM ledger_entry WHERE user_id = $1) AS entries`,
      [user.id],
    );
    expect(rows[0]).toEqual({ quotes: 0, entries: 0 });
  });

  it('Generate confirms once for the owner, however often clicked; a stranger is told and nothing happens', async () => {
    const owner = aMember();
    const stranger = aMember();
    const data = await imagine(
      owner,
      [
        { name: 'prompt', type: 3, value: 'a lighthouse' },
        { name: 'count', type: 4, value: 2 },
      ],
      [STARTER_ROLE],
    );
    const generate = buttonIds(data)[0]!;
    const strangerClick = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: stranger, customId: generate }).answer();
    // The quote message is left alone: the stranger gets a private note.
    expect(strangerClick.type).toBe(6);
    expect(strangerClick.data).toMatchObject({ flags: 64, content: expect.stringMatching(/not your quote/) });
    expect((await f.ledger.balance(stranger.id, GUILD)).held).toBe(0);

    const clicks = await Promise.all(
      [1, 2, 3].map(() => env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: owner, customId: generate }).answer()),
    );
    expect(clicks.every((click) => click.type === 6)).toBe(true);
    expect(clicks.filter((click) => String((click.data as { content: string }).content).startsWith('Confirmed'))).toHaveLength(1);
    const balance = await f.ledger.balance(owner.id, GUILD);
    // Starter: 200 a week plus 20 free; a batch of two 1024×1024 flux-schnell = ceil(1.572864 × 1.8) = 3.
    expect(balance.held).toBe(3);
    expect(balance.available).toBe(220 - 3);
    const { rows } = await f.database.sql.query(`SELECT count(*)::int AS jobs, max(priority) AS priority FROM generation_job WHERE user_id = $1`, [owner.id]);
    // Fast lane (100) at the standard tier level (10).
    expect(rows[0]).toEqual({ jobs: 1, priority: 110 });
    await expectLedgerConsistent(f.database);
  });

  it('with too few credits says how many are needed and had, and keeps the buttons', async () => {
    const user = aMember();
    const data = await imagine(user, [{ name: 'prompt', type: 3, value: 'expensive' }]);
    const revoked = await f.ledger.revoke({
      key: `spend:${user.id}`,
      userId: user.id,
      guildId: GUILD,
      amount: 19,
      kinds: ['free'],
      actorId: 'test',
      reason: 'leave 1 credit',
    });
    expect(revoked.ok).toBe(true);
    const click = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(data)[0]! }).answer();
    expect(click.type).toBe(6);
    const content = String((click.data as { content: string }).content);
    expect(content).toMatch(/needs \*\*2\*\* credits and you have \*\*1\*\*[\s\S]*\/topup/);
    // …and when more come without paying (issue 14.10): tomorrow's free credits at the next UTC
    // midnight, as a Discord timestamp, and the tier that gives credits (a member without one).
    const midnight = Math.floor(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) / 1000);
    expect(content).toContain(`Your next **20** free credits come <t:${midnight}:R>.`);
    expect(content).toContain('The Starter tier gives **200** credits a week.');
    expect((await f.ledger.balance(user.id, GUILD)).held).toBe(0);
  });

  it('Cancel ends the quote without charging; Generate afterwards is refused', async () => {
    const user = aMember();
    const data = await imagine(user, [{ name: 'prompt', type: 3, value: 'never mind' }]);
    const [generate, cancel] = buttonIds(data);
    const cancelled = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: cancel! }).answer();
    expect(cancelled.data).toMatchObject({ content: expect.stringMatching(/Cancelled/), components: [] });
    const late = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: generate! }).answer();
    expect(String((late.data as { content: string }).content)).toMatch(/cancelled/);
    expect((await f.ledger.balance(user.id, GUILD)).held).toBe(0);
  });
});

describe('results in the channel', () => {
  it('arrive with Re-roll and Keep ⭐ buttons that only the owner can use', async () => {
    f.startWorker(createLocalProvider(), { delivery: createDiscordDelivery({ token: env.fake.token, apiUrl: env.fake.apiUrl, jobs: f.jobs }) });
    const owner = aMember();
    const stranger = aMember();
    const data = await imagine(owner, [
      { name: 'prompt', type: 3, value: 'a glass whale' },
      { name: 'seed', type: 4, value: 42 },
    ]);
    await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: owner, customId: buttonIds(data)[0]! }).answer();
    const posted = await env.fake.waitForMessage((m) => m.files.length > 0 && JSON.stringify(m.payload).includes('a glass whale'), 20_000);
    expect(posted.files).toHaveLength(1);
    const [upscale, variation, reroll, keep] = buttonIds(posted.payload);
    expect([upscale, variation, reroll, keep]).toEqual([
      expect.stringMatching(/^job:upscale:.*:1$/),
      expect.stringMatching(/^job:variation:.*:1$/),
      expect.stringMatching(/^job:reroll:/),
      expect.stringMatching(/^job:keep:/),
    ]);
    const jobId = keep!.split(':')[2]!;

    const strangerKeep = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: stranger, customId: keep! }).answer();
    expect(strangerKeep.data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only the person who made this image/) });
    const strangerReroll = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: stranger, customId: reroll! }).answer();
    expect(strangerReroll.data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only <@\d+> can re-roll/) });
    expect((await f.database.sql.query(`SELECT count(*)::int AS n FROM quote WHERE user_id = $1`, [stranger.id])).rows[0].n).toBe(0);

    const kept = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: owner, customId: keep! }).answer();
    expect(kept.data).toMatchObject({ content: expect.stringMatching(/^Kept ⭐/) });
    expect((await f.database.sql.query(`SELECT kept_at IS NOT NULL AS kept FROM generation_job WHERE id = $1`, [jobId])).rows[0].kept).toBe(true);

    // Re-roll: a new quote with the same settings and a new seed; nothing held until Generate.
    const heldBefore = (await f.ledger.balance(owner.id, GUILD)).held;
    const rerolled = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user: owner, customId: reroll! }).answer();
    expect(rerolled.data).toMatchObject({ flags: 64 });
    expect(embedText(rerolled.data)).toContain('flux-schnell · 1024x1024 · 4 steps · ×1');
    expect(embedText(rerolled.data)).not.toContain('seed 42');
    expect(buttonIds(rerolled.data)[0]).toMatch(/^quote:generate:/);
    expect((await f.ledger.balance(owner.id, GUILD)).held).toBe(heldBefore);
  });
});

describe('/balance', () => {
  it('shows each bucket, with the tier from the member’s role', async () => {
    const user = aMember();
    const callback = await env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles: [STARTER_ROLE], name: 'balance' }).answer();
    expect(callback.data).toMatchObject({ flags: 64 });
    const text = embedText(callback.data);
    // Credits, not dollars: none of these 220 were bought (issue 14.5).
    expect(text).toContain('220 credits');
    expect(text).not.toContain('$2.20');
    expect(text).toContain('Tier: Starter');
    expect(text).toContain('about 110 images at your defaults');
  });

  it('says when gifts expire, and words tier credits that may roll over as expiring, not resetting (issue 14.5)', async () => {
    const user = aMember();
    const soon = new Date(Date.now() + 3 * 86_400_000);
    await f.ledger.grant({
      key: `gift-soon:${user.id}`,
      userId: user.id,
      guildId: GUILD,
      kind: 'grant',
      amount: 30,
      expiresAt: soon,
      actorId: 'admin',
      reason: 'contest',
    });
    await f.ledger.grant({
      key: `gift-forever:${user.id}`,
      userId: user.id,
      guildId: GUILD,
      kind: 'grant',
      amount: 5,
      expiresAt: null,
      actorId: 'admin',
      reason: 'thanks',
    });
    const text = embedText((await env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles: [STARTER_ROLE], name: 'balance' }).answer()).data);
    expect(text).toContain(`35 · soonest expire <t:${Math.floor(soon.getTime() / 1000)}:R>`);
    expect(text).not.toMatch(/resets/);
    expect(text).toMatch(/200 · soonest expire <t:\d+:R>/);
  });

  it('shows an admin another member’s credits from this server only: not their purchases, and granting them nothing', async () => {
    const member = aMember();
    const admin = aMember();
    // The member bought credits (in any server: top-ups are theirs everywhere) and used the bot here.
    await f.ledger.grant({
      key: `bought:${member.id}`,
      userId: member.id,
      guildId: null,
      kind: 'topup',
      amount: 1234,
      expiresAt: null,
      actorId: 'test',
      reason: 'bought',
    });
    await f.ledger.grant({
      key: `gift:${member.id}`,
      userId: member.id,
      guildId: GUILD,
      kind: 'grant',
      amount: 7,
      expiresAt: null,
      actorId: 'test',
      reason: 'gift',
    });
    const entriesOf = async () =>
      (await f.database.sql.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE user_id = $1`, [member.id])).rows[0].n as number;
    const entriesBefore = await entriesOf();
    const answer = await env.fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user: admin,
        name: 'balance',
        permissions: String(1n << 5n),
        options: [{ name: 'member', type: 6, value: member.id }],
        resolved: { users: { [member.id]: { id: member.id, username: member.username, discriminator: '0', avatar: null, global_name: null } } },
      })
      .answer();
    expect(answer.data).toMatchObject({ flags: 64 });
    const text = embedText(answer.data);
    expect(text).toContain(`${member.username}: 7 credits from this server`);
    expect(text).not.toContain('1234');
    expect(text).not.toContain('1241');
    expect(text).toMatch(/bought are theirs alone/);
    // Looking is read only: no free daily credits were granted to the member by it.
    expect(await entriesOf()).toBe(entriesBefore);
    expect((await f.ledger.balance(member.id, GUILD)).buckets.free.available).toBe(0);
  });

  it('refuses to show another member’s balance to a non-admin', async () => {
    const user = aMember();
    const other = aMember();
    const callback = await env.fake
      .slashCommand({
        guildId: GUILD,
        channelId: CHANNEL,
        user,
        name: 'balance',
        permissions: '0',
        options: [{ name: 'member', type: 6, value: other.id }],
        resolved: { users: { [other.id]: { id: other.id, username: other.username, discriminator: '0', avatar: null, global_name: null } } },
      })
      .answer();
    expect(callback.data).toMatchObject({ flags: 64, content: expect.stringMatching(/Only server admins/) });
  });
});
