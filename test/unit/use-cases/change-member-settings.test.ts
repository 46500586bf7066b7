// /settings: no option shows them; every option is checked before anything is saved.
import { describe, expect, it } from 'vitest';
import { defaultMemberSettings } from '../../../src/domain/settings/member-settings.js';
import { changeMemberSettings } from '../../../src/use-cases/change-member-settings.js';
import { fakeBot } from '../../fakes/in-memory-bot-ports.js';
import { testCard } from '../domain/pricing/card-fixture.js';

const card = testCard();
const member = { userId: 'u1', guildId: 'g1', roleIds: [] as string[] };

describe('changeMemberSettings', () => {
  it('shows the settings and the tier they are checked against when nothing is asked', async () => {
    const bot = fakeBot(card);
    expect(await changeMemberSettings(bot.deps, { ...member, change: {}, reset: false })).toMatchObject({
      ok: true,
      value: { outcome: 'shown', settings: defaultMemberSettings, tier: { name: 'none' } },
    });
  });

  it('saves valid options, and saves nothing when one option is refused', async () => {
    const bot = fakeBot(card);
    expect(await changeMemberSettings(bot.deps, { ...member, change: { autoConfirm: 5 }, reset: false })).toMatchObject({
      ok: true,
      value: { outcome: 'saved', settings: { autoConfirmMaxCredits: 5 } },
    });
    const refused = await changeMemberSettings(bot.deps, { ...member, change: { autoConfirm: 7, model: 'dev' }, reset: false });
    expect(refused.ok).toBe(false);
    expect(bot.memberSettings.stored.get('u1:g1')?.autoConfirmMaxCredits).toBe(5);
  });

  it('resets to every default first, so reset with an option keeps only that option', async () => {
    const bot = fakeBot(card);
    await bot.memberSettings.update('u1', 'g1', { autoConfirmMaxCredits: 5, lowBalanceWarningAt: 10 });
    expect(await changeMemberSettings(bot.deps, { ...member, change: { lowBalanceWarning: 3 }, reset: true })).toMatchObject({
      ok: true,
      value: { outcome: 'saved', settings: { autoConfirmMaxCredits: 0, lowBalanceWarningAt: 3 } },
    });
    expect(await changeMemberSettings(bot.deps, { ...member, change: {}, reset: true })).toMatchObject({
      ok: true,
      value: { outcome: 'reset', settings: defaultMemberSettings },
    });
    expect(bot.memberSettings.stored.has('u1:g1')).toBe(false);
  });
});
