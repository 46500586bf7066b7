// Speed lanes through the real discord.js client against the fake Discord, on the real ledger,
// job store and queue: the lane option and its price in the quote, the lane a tier does not offer,
// a default lane in /settings, and the queue place a confirmed job gets.
import { describe, expect, it } from 'vitest';
import { useGuildBot } from '../../support/bot-fixture.js';
import { buttonIds, contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';
import { waitFor } from '../../support/wait-for.js';

const GUILD = '230000000000000001';
const CHANNEL = '230000000000000002';
const STARTER_ROLE = '230000000000000003';
const PRO_ROLE = '230000000000000004';
let sequence = 0;
const aMember = () => ({ id: `33000000000000${String(++sequence).padStart(4, '0')}`, username: `laner${sequence}` });
type Member = ReturnType<typeof aMember>;
type Option = { name: string; type: number; value: string | number | boolean };

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Lanes Test', channelId: CHANNEL, starterRoleId: STARTER_ROLE, tierRoles: { [PRO_ROLE]: 'pro' } });

async function command(name: string, user: Member, options: Option[], roles: string[] = []) {
  const callback = await env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles, name, options }).answer();
  return callback.data as Record<string, unknown>;
}
const imagine = (user: Member, prompt: string, roles: string[], lane?: string) =>
  command('imagine', user, [{ name: 'prompt', type: 3, value: prompt }, ...(lane ? [{ name: 'lane', type: 3, value: lane }] : [])], roles);
const generate = async (user: Member, quoted: Record<string, unknown>) =>
  (await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(quoted)[0]! }).answer()).data as Record<string, unknown>;
const jobsOf = async (user: Member) =>
  (
    await f.database.sql.query(`SELECT price, priority, request->>'lane' AS lane, message_id FROM generation_job WHERE user_id = $1 ORDER BY created_at`, [
      user.id,
    ])
  ).rows;
const quotesOf = async (user: Member) => (await f.database.sql.query(`SELECT id FROM quote WHERE user_id = $1`, [user.id])).rows;

describe('speed lanes in /imagine', () => {
  it('quotes Turbo at its factor with the lane shown, and queues it ahead of every Fast job', async () => {
    const user = aMember();
    const fast = await imagine(user, 'a fast fox', [PRO_ROLE]);
    // flux-schnell 1.5/MP × 1.05 MP = 1.57 → 2 credits at Fast; × turbo 2 = 3.15 → 4.
    expect(embedText(fast)).toContain('2 credits');
    expect(embedText(fast)).toContain('Fast · 1× price · the standard queue');
    const turbo = await imagine(user, 'a turbo fox', [PRO_ROLE], 'turbo');
    expect(embedText(turbo)).toContain('4 credits');
    expect(embedText(turbo)).toContain('× turbo 2 = 4 credits');
    expect(embedText(turbo)).toContain('Turbo · 2× price · ahead of every Fast job');

    expect(contentOf(await generate(user, fast))).toMatch(/^Confirmed: 2 credits held/);
    expect(contentOf(await generate(user, turbo))).toMatch(/^Confirmed: 4 credits held/);
    const [fastJob, turboJob] = await jobsOf(user);
    expect(fastJob).toMatchObject({ price: 2, lane: 'fast' });
    expect(turboJob).toMatchObject({ price: 4, lane: 'turbo' });
    expect(turboJob!.priority).toBeLessThan(fastJob!.priority);
    // The public job message says which queue its place is in (Fast, the default, says nothing).
    const posted = await waitFor(
      async () => {
        const rows = await jobsOf(user);
        return rows.every((row) => row.message_id !== null) ? rows : undefined;
      },
      5000,
      'both job messages',
    );
    const contentOfMessage = (id: string) => String(env.fake.message(id)?.['content']);
    expect(contentOfMessage(posted[1]!.message_id)).toMatch(/— queued, (next up|position \d+ \(\d+ jobs? ahead\)) in the Turbo lane\n/);
    expect(contentOfMessage(posted[0]!.message_id)).toMatch(/— queued/);
    expect(contentOfMessage(posted[0]!.message_id)).not.toMatch(/lane/);
    await expectLedgerConsistent(f.database);
  });

  it('refuses a lane the member’s tier does not offer, naming the tier that does, and stores nothing', async () => {
    const user = aMember();
    const refused = await imagine(user, 'too fast', [STARTER_ROLE], 'turbo');
    expect(contentOf(refused)).toBe('Turbo is not part of your tier (Starter); it offers Relax, Fast. The Pro tier offers Turbo.');
    const noTier = await imagine(user, 'too slow', [], 'relax');
    expect(contentOf(noTier)).toBe('Relax is not part of your tier (No tier); it offers Fast. The Starter tier offers Relax.');
    // A lane Discord would never send (a modified client) is refused the same way.
    expect(contentOf(await imagine(user, 'warp', [STARTER_ROLE], 'warp'))).toBe('"warp" is not a speed lane: choose Relax, Fast or Turbo.');
    expect(await quotesOf(user)).toEqual([]);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ held: 0 });
  });
});

describe('Relax', () => {
  it('is free on the default card: quoted at 0, confirmed without a hold, one job at a time per member', async () => {
    const user = aMember();
    const quoted = await imagine(user, 'a slow sunrise', [STARTER_ROLE], 'relax');
    expect(embedText(quoted)).toContain('Relax · free');
    const before = await f.ledger.balance(user.id, GUILD);
    const confirmed = contentOf(await generate(user, quoted));
    expect(confirmed).toMatch(/^Confirmed/);
    expect(confirmed).toMatch(/free|nothing/i);
    expect(await f.ledger.balance(user.id, GUILD)).toEqual(before);
    expect(await jobsOf(user)).toMatchObject([{ price: 0, lane: 'relax' }]);

    // A second Relax job while the first waits: refused with the reason, nothing stored or held.
    const second = await imagine(user, 'another slow one', [STARTER_ROLE], 'relax');
    expect(contentOf(await generate(user, second))).toMatch(/Relax takes one job per member at a time.*Nothing was charged\.$/);
    expect(await jobsOf(user)).toHaveLength(1);
    // A Fast job is not limited by it.
    expect(contentOf(await generate(user, await imagine(user, 'a fast one meanwhile', [STARTER_ROLE])))).toMatch(/^Confirmed: 2 credits held/);
    await expectLedgerConsistent(f.database);
  });
});

describe('a default lane in /settings', () => {
  it('is used by /imagine when no lane is typed; a lane typed in /imagine wins', async () => {
    const user = aMember();
    const saved = await command('settings', user, [{ name: 'lane', type: 3, value: 'turbo' }], [PRO_ROLE]);
    expect(contentOf(saved)).toBe('Saved.');
    expect(embedText(saved)).toContain('**Turbo** (2× price)');
    expect((await f.database.sql.query(`SELECT default_lane FROM member_settings WHERE user_id = $1`, [user.id])).rows).toEqual([{ default_lane: 'turbo' }]);
    expect(embedText(await imagine(user, 'default lane', [PRO_ROLE]))).toContain('Turbo · 2× price');
    expect(embedText(await imagine(user, 'typed lane', [PRO_ROLE], 'fast'))).toContain('Fast · 1× price');
  });

  it('falls back to Fast quietly when the member’s tier lost the lane, and refuses to save a lane the tier lacks', async () => {
    const user = aMember();
    await command('settings', user, [{ name: 'lane', type: 3, value: 'turbo' }], [PRO_ROLE]);
    // The same member without the Pro role.
    expect(embedText(await imagine(user, 'lost turbo', [STARTER_ROLE]))).toContain('Fast · 1× price');
    expect(embedText(await command('settings', user, [], [STARTER_ROLE]))).toContain('Turbo — not part of your tier now, so **Fast** (1× price) is used');
    const refused = await command('settings', aMember(), [{ name: 'lane', type: 3, value: 'turbo' }], [STARTER_ROLE]);
    expect(contentOf(refused)).toBe('Turbo is not part of your tier (Starter); it offers Relax, Fast. The Pro tier offers Turbo. Nothing was changed.');
  });
});
