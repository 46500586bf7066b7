// /settings through the real discord.js client against the fake Discord, on the real ledger and
// job store: show, set, reset, refusals that change nothing; /imagine picking up the defaults;
// auto-confirm under (and not over) the threshold; the low-balance warning after a confirmation.
import { describe, expect, it } from 'vitest';
import { useGuildBot } from '../../support/bot-fixture.js';
import { buttonIds, contentOf, embedText } from '../../support/discord-payloads.js';
import { expectLedgerConsistent } from '../../support/ledger-fixture.js';
import { usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '220000000000000001';
const CHANNEL = '220000000000000002';
const STARTER_ROLE = '220000000000000003';
let sequence = 0;
const aMember = () => ({ id: `32000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });
type Member = ReturnType<typeof aMember>;
type Option = { name: string; type: number; value: string | number | boolean };

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'Settings Test', channelId: CHANNEL, starterRoleId: STARTER_ROLE });

async function command(name: string, user: Member, options: Option[], roles: string[] = []) {
  const callback = await env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, roles, name, options }).answer();
  return callback.data as Record<string, unknown>;
}
const settings = (user: Member, options: Option[] = [], roles: string[] = []) => command('settings', user, options, roles);
const imagine = (user: Member, prompt: string, roles: string[] = []) => command('imagine', user, [{ name: 'prompt', type: 3, value: prompt }], roles);
const storedRow = async (user: Member) =>
  (
    await f.database.sql.query(`SELECT default_model, default_size, auto_confirm_max_credits, low_balance_warning_at FROM member_settings WHERE user_id = $1`, [
      user.id,
    ])
  ).rows[0];
const jobsOf = async (user: Member) => (await f.database.sql.query(`SELECT id, price FROM generation_job WHERE user_id = $1`, [user.id])).rows;

describe('/settings', () => {
  it('without options shows the defaults each setting falls back to, privately', async () => {
    const data = await settings(aMember());
    expect(data['flags']).toBe(64);
    const text = embedText(data);
    expect(text).toContain('not set — the first your tier (No tier) allows: **flux-schnell**');
    expect(text).toContain("not set — the model's first size: **1024x1024**");
    expect(text).toMatch(/Auto-confirm.*off — every job shows its price first/);
    expect(text).toMatch(/Low-balance warning.*off \(default\)/);
  });

  it('saves model, size and thresholds; /imagine then uses the default model and size', async () => {
    const user = aMember();
    const saved = await settings(
      user,
      [
        { name: 'model', type: 3, value: 'SDXL' },
        { name: 'size', type: 3, value: '16:9' },
        { name: 'auto-confirm', type: 4, value: 0 },
        { name: 'low-balance-warning', type: 4, value: 50 },
      ],
      [STARTER_ROLE],
    );
    expect(contentOf(saved)).toBe('Saved.');
    expect(embedText(saved)).toContain('**sdxl**');
    expect(embedText(saved)).toContain('(1344x768 on sdxl)');
    expect(await storedRow(user)).toEqual({ default_model: 'sdxl', default_size: '16:9', auto_confirm_max_credits: 0, low_balance_warning_at: 50 });

    const shown = await settings(user, [], [STARTER_ROLE]);
    expect(embedText(shown)).toContain('fewer than **50** credits');

    const quoted = await imagine(user, 'a harbour at dusk', [STARTER_ROLE]);
    // sdxl 4/MP × 1344×768 (1.03 MP) × 30/30 = ceil(4.128…) = 5 credits.
    expect(embedText(quoted)).toContain('sdxl · 1344x768');
    expect(embedText(quoted)).toContain('5 credits');
    // A size typed in /imagine wins over the default.
    const typed = await command(
      'imagine',
      user,
      [
        { name: 'prompt', type: 3, value: 'square' },
        { name: 'size', type: 3, value: '1024x1024' },
      ],
      [STARTER_ROLE],
    );
    expect(embedText(typed)).toContain('sdxl · 1024x1024');
    expect(await jobsOf(user)).toEqual([]);
  });

  it('a default the tier can no longer use falls back to the tier default instead of refusing', async () => {
    const user = aMember();
    await settings(user, [{ name: 'model', type: 3, value: 'sdxl' }], [STARTER_ROLE]);
    // The same member without the Starter role: sdxl is not theirs now.
    const quoted = await imagine(user, 'fallback');
    expect(embedText(quoted)).toContain('flux-schnell · 1024x1024');
    expect(embedText(await settings(user))).toContain('not available to your tier now, so **flux-schnell** is used');
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const user = aMember();
    await settings(user, [{ name: 'auto-confirm', type: 4, value: 3 }]);
    const before = await storedRow(user);
    const cases: [Option[], RegExp][] = [
      [[{ name: 'model', type: 3, value: 'sdxk' }], /no model called "sdxk". Did you mean sdxl\?/],
      [[{ name: 'model', type: 3, value: 'flux-dev' }], /FLUX.1 dev \(flux-dev\) is not included in your tier \(No tier\). The Pro tier unlocks it/],
      [[{ name: 'model', type: 3, value: 'real-esrgan' }], /does not make images from a prompt/],
      [[{ name: 'size', type: 3, value: '999x999' }], /"999x999" is not a size.*1024x1024/],
      [[{ name: 'size', type: 3, value: 'huge' }], /"huge" is not a size/],
      [[{ name: 'auto-confirm', type: 4, value: 5000 }], /Auto-confirm must be .* from 0 \(off\) to 1000 \(you gave 5000\)/],
      [[{ name: 'low-balance-warning', type: 4, value: -1 }], /low-balance warning must be .* \(you gave -1\)/],
      // One bad option refuses the whole change, including the good one beside it.
      [
        [
          { name: 'auto-confirm', type: 4, value: 9 },
          { name: 'model', type: 3, value: 'nope' },
        ],
        /no model called "nope"/,
      ],
    ];
    for (const [options, reason] of cases) {
      const data = await settings(user, options);
      expect(data['flags']).toBe(64);
      expect(contentOf(data)).toMatch(reason);
      expect(contentOf(data)).toMatch(/Nothing was changed\.$/);
    }
    expect(await storedRow(user)).toEqual(before);
  });

  it('reset brings every default back; reset with an option keeps only that option', async () => {
    const user = aMember();
    await settings(
      user,
      [
        { name: 'model', type: 3, value: 'sdxl' },
        { name: 'auto-confirm', type: 4, value: 10 },
      ],
      [STARTER_ROLE],
    );
    const reset = await settings(user, [{ name: 'reset', type: 5, value: true }], [STARTER_ROLE]);
    expect(contentOf(reset)).toMatch(/^Reset: every setting is back to its default/);
    expect(await storedRow(user)).toBeUndefined();
    await settings(
      user,
      [
        { name: 'model', type: 3, value: 'sdxl' },
        { name: 'auto-confirm', type: 4, value: 10 },
      ],
      [STARTER_ROLE],
    );
    await settings(
      user,
      [
        { name: 'reset', type: 5, value: true },
        { name: 'low-balance-warning', type: 4, value: 7 },
      ],
      [STARTER_ROLE],
    );
    expect(await storedRow(user)).toEqual({ default_model: null, default_size: null, auto_confirm_max_credits: 0, low_balance_warning_at: 7 });
  });
});

describe('auto-confirm', () => {
  it('under the threshold: confirmed at once, held exactly once, one job, no quote buttons', async () => {
    const user = aMember();
    await settings(user, [{ name: 'auto-confirm', type: 4, value: 5 }]);
    const data = await imagine(user, 'a cheap sketch');
    expect(data['flags']).toBe(64);
    expect(contentOf(data)).toMatch(/^Auto-confirmed under your 5-credit threshold \(change it with \/settings auto-confirm, 0 turns it off\): 2 credits held/);
    expect(buttonIds(data)).toEqual([]);
    expect(await jobsOf(user)).toEqual([{ id: expect.any(String), price: 2 }]);
    const { rows } = await f.database.sql.query(`SELECT status FROM quote WHERE user_id = $1`, [user.id]);
    expect(rows).toEqual([{ status: 'confirmed' }]);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    await expectLedgerConsistent(f.database);
  });

  it('over the threshold: the normal quote with Generate / Cancel, nothing held', async () => {
    const user = aMember();
    await settings(user, [{ name: 'auto-confirm', type: 4, value: 1 }]);
    const data = await imagine(user, 'costs two');
    expect(embedText(data)).toContain('2 credits ($0.02)');
    expect(buttonIds(data)).toEqual([expect.stringMatching(/^quote:generate:/), expect.stringMatching(/^quote:cancel:/)]);
    expect(await jobsOf(user)).toEqual([]);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 20, held: 0 });
  });

  it('short of credits: the quote with the reason, its Generate button kept, nothing more held', async () => {
    const user = aMember();
    await settings(user, [{ name: 'auto-confirm', type: 4, value: 5 }]);
    const first = await imagine(user, 'first');
    expect(contentOf(first)).toMatch(/^Auto-confirmed/);
    const spent = await f.ledger.revoke({
      key: `drain:${user.id}`,
      userId: user.id,
      guildId: GUILD,
      amount: 17,
      kinds: ['free'],
      actorId: 'test',
      reason: 'leave 1 credit',
    });
    expect(spent.ok).toBe(true);
    const data = await imagine(user, 'second');
    expect(contentOf(data)).toMatch(/^Not auto-confirmed: This needs \*\*2\*\* credits and you have \*\*1\*\*/);
    expect(buttonIds(data)[0]).toMatch(/^quote:generate:/);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 1, held: 2 });
    expect(await jobsOf(user)).toHaveLength(1);
    await expectLedgerConsistent(f.database);
  });
});

describe('low-balance warning', () => {
  it('is added after Generate when the balance falls under the member threshold', async () => {
    const user = aMember();
    await settings(user, [{ name: 'low-balance-warning', type: 4, value: 19 }]);
    const quoted = await imagine(user, 'warn me');
    const click = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(quoted)[0]! }).answer();
    expect(String((click.data as { content: string }).content)).toMatch(/^Confirmed: 2 credits held.*\n⚠️ Low balance: 18 credits left — \/topup$/);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    await expectLedgerConsistent(f.database);
  });

  it('is added after an auto-confirmation too, and not at all above the threshold or when off', async () => {
    const warned = aMember();
    await settings(warned, [
      { name: 'auto-confirm', type: 4, value: 2 },
      { name: 'low-balance-warning', type: 4, value: 100 },
    ]);
    expect(contentOf(await imagine(warned, 'auto and warned'))).toMatch(/^Auto-confirmed.*\n⚠️ Low balance: 18 credits left — \/topup$/);

    const calm = aMember();
    await settings(calm, [
      { name: 'auto-confirm', type: 4, value: 2 },
      { name: 'low-balance-warning', type: 4, value: 18 },
    ]);
    expect(contentOf(await imagine(calm, 'auto, not warned'))).not.toMatch(/Low balance/);

    const off = aMember();
    await settings(off, [{ name: 'auto-confirm', type: 4, value: 2 }]);
    expect(contentOf(await imagine(off, 'warning off'))).not.toMatch(/Low balance/);
    for (const user of [warned, calm, off]) expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    await expectLedgerConsistent(f.database);
  });
});

describe('spending caps (/settings daily-cap, monthly-cap)', () => {
  const capsRow = async (user: Member) =>
    (await f.database.sql.query(`SELECT daily_cap, monthly_cap FROM member_settings WHERE user_id = $1`, [user.id])).rows[0] ?? null;

  it('refuses -5, "abc" and more than 1,000,000 with a sentence and changes nothing', async () => {
    const user = aMember();
    for (const value of ['-5', 'abc', '1000001', '2.5']) {
      const data = await settings(user, [{ name: 'daily-cap', type: 3, value }]);
      expect(contentOf(data)).toMatch(/^The daily cap must be .*0.*1,000,000.*"off"\. Nothing was changed\.$/);
    }
    expect(await capsRow(user)).toBeNull();
  });

  it('saves, shows and removes caps ("off")', async () => {
    const user = aMember();
    const saved = await settings(user, [
      { name: 'daily-cap', type: 3, value: '3' },
      { name: 'monthly-cap', type: 3, value: '1,000' },
    ]);
    expect(contentOf(saved)).toBe('Saved.');
    expect(embedText(saved)).toContain('at most **3** credits a day, at most **1000** credits a month');
    expect(embedText(saved)).toContain('The server sets no caps for you.');
    expect(embedText(saved)).toContain('Spent or running here: **0** today, **0** this month.');
    expect(await capsRow(user)).toEqual({ daily_cap: 3, monthly_cap: 1000 });
    await settings(user, [{ name: 'monthly-cap', type: 3, value: 'off' }]);
    expect(await capsRow(user)).toEqual({ daily_cap: 3, monthly_cap: null });
  });

  it('refuses a Generate that would pass the daily cap with the reason, holding nothing', async () => {
    const user = aMember();
    await settings(user, [{ name: 'daily-cap', type: 3, value: '3' }]);
    const first = await imagine(user, 'within the cap');
    const ok = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(first)[0]! }).answer();
    expect(String((ok.data as { content: string }).content)).toMatch(/^Confirmed: 2 credits held/);
    const second = await imagine(user, 'over the cap');
    const refused = await env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId: buttonIds(second)[0]! }).answer();
    expect(String((refused.data as { content: string }).content)).toBe(
      'This costs **2** credits, which would pass your daily cap of **3** credits (set in /settings): you have spent or have running **2** today. It resets at 00:00 UTC. Nothing was charged.',
    );
    expect(await jobsOf(user)).toHaveLength(1);
    expect(await f.ledger.balance(user.id, GUILD)).toMatchObject({ available: 18, held: 2 });
    expect(embedText(await settings(user))).toContain('Spent or running here: **2** today, **2** this month.');
    await expectLedgerConsistent(f.database);
  });
});
