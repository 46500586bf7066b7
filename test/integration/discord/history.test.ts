// /history through the real discord.js client and the fake Discord, on a ledger written by the
// real ledger functions and job store: readable rows, keyset paging with Newer/Older, buttons
// that only the member who ran /history can press, and an empty history.
import { describe, expect, it } from 'vitest';
import { mapRoleToTier } from '../../support/ledger-fixture.js';
import { useGuildBot } from '../../support/bot-fixture.js';
import { aRequest, usePipeline } from '../../support/pipeline-fixture.js';

const GUILD = '220000000000000001';
const OTHER_GUILD = '220000000000000009';
const CHANNEL = '220000000000000002';
const ADMIN = '320000000000009999';
let sequence = 0;
const aMember = () => ({ id: `32000000000000${String(++sequence).padStart(4, '0')}`, username: `member${sequence}` });

const f = usePipeline(3);
const env = useGuildBot(f, { guildId: GUILD, guildName: 'History Test', channelId: CHANNEL });

type Field = { name: string; value: string };
type Button = { custom_id: string; disabled?: boolean; label: string };
const fieldsOf = (data: unknown): Field[] => ((data as { embeds?: { fields?: Field[] }[] }).embeds ?? []).flatMap((e) => e.fields ?? []);
const buttonsOf = (data: unknown): Button[] => ((data as { components?: { components: Button[] }[] }).components ?? []).flatMap((row) => row.components);
const button = (data: unknown, label: RegExp): Button => buttonsOf(data).find((b) => label.test(b.label))!;

async function openHistory(user: { id: string; username: string }) {
  const handle = env.fake.slashCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'history' });
  const callback = await handle.answer();
  return { callback, messageId: handle.originalMessage()?.['id'] as string };
}

const press = (user: { id: string; username: string }, messageId: string, customId: string) =>
  env.fake.buttonClick({ guildId: GUILD, channelId: CHANNEL, user, customId, messageId }).answer();

/** A job confirmed and finished through the real job store; its hold and settlement are real ledger entries. */
async function runJob(userId: string, price: number, count: number, delivered: number, failureReason: string | null) {
  const quoteId = await f.jobs.createQuote({
    userId,
    guildId: GUILD,
    channelId: CHANNEL,
    request: aRequest({ count }),
    breakdown: {},
    price,
    tierName: 'starter',
    expiresAt: new Date(Date.now() + 600_000),
  });
  const confirmed = await f.credits.confirmQuote({ quoteId, userId, priority: 10, deadlineAt: new Date(Date.now() + 600_000) });
  if (!confirmed.ok) throw new Error(confirmed.error.code);
  await f.credits.finish(confirmed.value.jobId, { delivered, failureReason, memberMessage: null, providerCostUsd: null, predictTimeSeconds: null });
}

describe('/history', () => {
  it('tells a member with no history so, kindly', async () => {
    const { callback } = await openHistory(aMember());
    expect(callback.data).toMatchObject({ flags: 64, content: expect.stringMatching(/Nothing in your credit history/) });
  });

  it('shows each operation as one readable row: what, how much, which bucket, when, why', async () => {
    const member = aMember();
    const grant = (key: string, kind: 'free' | 'grant' | 'topup', amount: number, actorId: string, reason: string, expiresAt: Date | null = null) =>
      f.ledger.grant({ key, userId: member.id, guildId: kind === 'topup' ? null : GUILD, kind, amount, expiresAt, actorId, reason });
    await mapRoleToTier(f.database, GUILD, 'starter');
    await f.ledger.grantAllowances({
      userId: member.id,
      guildId: GUILD,
      free: { periodKey: '2026-11-22', amount: 20, expiresAt: new Date(Date.now() + 3_600_000) },
      tier: {
        periodKey: '2026-W47',
        tierName: 'starter',
        allowance: 200,
        expiresAt: new Date(Date.now() + 86_400_000),
        periodStart: new Date(Date.now() - 86_400_000),
        periodEnd: new Date(Date.now() + 86_400_000),
      },
    });
    await grant(`topup-${member.id}`, 'topup', 500, 'discord', 'bought credits-500 (entitlement 77)');
    await grant(`gift-${member.id}`, 'grant', 50, ADMIN, 'won the art contest');
    await runJob(member.id, 4, 2, 2, null);
    await runJob(member.id, 2, 1, 0, 'safety filter');
    // Credits that ran out: a gift that expired a minute ago, swept by the ledger's expiry.
    await grant(`short-${member.id}`, 'grant', 5, ADMIN, 'trial', new Date(Date.now() - 60_000));
    await f.ledger.expire();
    // Another server's entries are not this server's history.
    await f.ledger.grant({
      key: `elsewhere-${member.id}`,
      userId: member.id,
      guildId: OTHER_GUILD,
      kind: 'grant',
      amount: 9,
      expiresAt: null,
      actorId: ADMIN,
      reason: 'other server',
    });

    const { callback } = await openHistory(member);
    expect(callback.data).toMatchObject({ flags: 64 });
    const rows = fieldsOf(callback.data).map((field) => `${field.name} | ${field.value}`);
    expect(rows).toEqual([
      expect.stringMatching(/^−5 · Expired \| <t:\d+:R> · gifts\n/),
      expect.stringMatching(/^\+5 · Admin grant by <@320000000000009999> \| <t:\d+:R> · gifts\ntrial$/),
      expect.stringMatching(/^\+2 · Refund: safety filter \| <t:\d+:R> · free\nImage job: 1× flux-schnell 1024×1024$/),
      expect.stringMatching(/^−2 · Image job: 1× flux-schnell 1024×1024 \| .* · free\nheld when you pressed Generate; nothing delivered$/),
      expect.stringMatching(/^±0 \(4 held credits spent\) · Charged: delivered 2 image\(s\) \| .* · free\n/),
      expect.stringMatching(/^−4 · Image job: 2× flux-schnell 1024×1024 \| .* · free\nheld when you pressed Generate; all images delivered$/),
      expect.stringMatching(/^\+50 · Admin grant by <@320000000000009999> \| .* · gifts\nwon the art contest$/),
      expect.stringMatching(/^\+500 · Top-up: credits-500 \| .* · top-ups\nbought credits-500 \(entitlement 77\)$/),
      expect.stringMatching(/^\+200 · Tier allowance \(starter, 2026-W47\) \| .* · tier$/),
      expect.stringMatching(/^\+20 · Free daily credits \| .* · free\nfree daily credits 2026-11-22$/),
    ]);
    expect(rows.join('\n')).not.toContain('other server');
    // Exactly one page: both paging buttons are there but disabled.
    expect(buttonsOf(callback.data).map((b) => b.disabled)).toEqual([true, true]);
  });

  it('pages newest first with Newer / Older, keyset on entry ids, and only for the member who ran it', async () => {
    const member = aMember();
    for (let i = 1; i <= 25; i++) {
      const granted = await f.ledger.grant({
        key: `page-${member.id}-${i}`,
        userId: member.id,
        guildId: GUILD,
        kind: 'grant',
        amount: i,
        expiresAt: null,
        actorId: ADMIN,
        reason: `gift number ${i}`,
      });
      expect(granted.ok).toBe(true);
    }
    const amounts = (data: unknown) => fieldsOf(data).map((field) => Number(/^\+(\d+)/.exec(field.name)?.[1]));
    const { callback: first, messageId } = await openHistory(member);
    expect(amounts(first.data)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(button(first.data, /Newer/).disabled).toBe(true);
    const older = button(first.data, /Older/);
    expect(older.disabled).toBe(false);
    expect(older.custom_id).toMatch(new RegExp(`^history:${member.id}:older:\\d+$`));
    expect(older.custom_id.length).toBeLessThanOrEqual(100);

    // Someone else pressing the member's button is told so, and the member's message stays as it was.
    const stranger = aMember();
    const refused = await press(stranger, messageId, older.custom_id);
    expect(refused.type).toBe(6);
    expect(refused.data).toMatchObject({ flags: 64, content: expect.stringMatching(/someone else’s history/) });
    expect(amounts(env.fake.message(messageId))).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);

    const second = await press(member, messageId, older.custom_id);
    expect(second.type).toBe(6);
    expect(amounts(second.data)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const third = await press(member, messageId, button(second.data, /Older/).custom_id);
    expect(amounts(third.data)).toEqual([5, 4, 3, 2, 1]);
    expect(button(third.data, /Older/).disabled).toBe(true);
    expect(button(third.data, /Newer/).disabled).toBe(false);

    // New entries arriving meanwhile do not shift the pages (keyset, not OFFSET).
    await f.ledger.grant({
      key: `page-${member.id}-late`,
      userId: member.id,
      guildId: GUILD,
      kind: 'grant',
      amount: 99,
      expiresAt: null,
      actorId: ADMIN,
      reason: 'late',
    });
    const back = await press(member, messageId, button(third.data, /Newer/).custom_id);
    expect(amounts(back.data)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const top = await press(member, messageId, button(back.data, /Newer/).custom_id);
    expect(amounts(top.data)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(button(top.data, /Newer/).disabled).toBe(false);
    const newest = await press(member, messageId, button(top.data, /Newer/).custom_id);
    expect(amounts(newest.data)).toEqual([99]);
    expect(button(newest.data, /Newer/).disabled).toBe(true);
  });

  it('refuses a forged or mangled paging button without showing anything', async () => {
    const member = aMember();
    const { messageId } = await openHistory(member);
    const mangled = await press(member, messageId, 'history:not-a-user:older:1; DROP TABLE');
    expect(mangled.data).toMatchObject({ flags: 64, content: expect.stringMatching(/out of date/) });
  });
});
