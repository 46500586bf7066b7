import { describe, expect, it } from 'vitest';
import {
  applyConfigChange,
  channelAllowed,
  defaultGuildConfig,
  memberRunningLimit,
  type GuildConfig,
  type GuildConfigChange,
} from '../../../src/domain/guild-config.js';

const base = defaultGuildConfig('g');
const apply = (config: GuildConfig, ...changes: GuildConfigChange[]) =>
  changes.reduce((current, change) => {
    const next = applyConfigChange(current, change);
    if (!next.ok) throw new Error(next.error.message);
    return next.value;
  }, config);
const refusal = (config: GuildConfig, change: GuildConfigChange) => {
  const result = applyConfigChange(config, change);
  return result.ok ? null : result.error.message;
};

describe('guild config changes', () => {
  it('applies each change to its setting only', () => {
    const config = apply(
      base,
      { kind: 'free-daily', amount: 5 },
      { kind: 'ban-word', word: '  Big   CAT ' },
      { kind: 'spoiler', on: true },
      { kind: 'nsfw', mode: 'age-restricted-channels' },
    );
    expect(config).toMatchObject({
      freeDailyCredits: 5,
      bannedWords: ['big cat'],
      spoilerResults: true,
      nsfw: 'age-restricted-channels',
      allowedChannelIds: [],
    });
    expect(apply(config, { kind: 'unban-word', word: 'big cat' }).bannedWords).toEqual([]);
  });

  it('refuses out-of-range numbers, duplicates, missing entries and lists past their limit', () => {
    expect(refusal(base, { kind: 'free-daily', amount: -1 })).toMatch(/0 to 10000/);
    expect(refusal(base, { kind: 'free-daily', amount: 1.5 })).toMatch(/whole number/);
    expect(refusal(base, { kind: 'job-limit', count: 0 })).toMatch(/1 to 50/);
    expect(refusal(base, { kind: 'channel-allow', channelId: 'general' })).toMatch(/not a channel/);
    expect(refusal(base, { kind: 'channel-disallow', channelId: '123456789012345678' })).toMatch(/not on the allowed list/);
    expect(refusal(base, { kind: 'channels-clear' })).toMatch(/already works everywhere/);
    expect(refusal(base, { kind: 'ban-word', word: '\u200b ' })).toMatch(/Give a word/);
    expect(refusal(apply(base, { kind: 'ban-word', word: 'cat' }), { kind: 'ban-word', word: 'CAT' })).toMatch(/already banned/);
    expect(refusal(base, { kind: 'unban-pattern', pattern: '#1' })).toMatch(/No banned pattern/);
    expect(refusal(base, { kind: 'nsfw', mode: 'always' as never })).toMatch(/must be one of/);
    const full = { ...base, allowedChannelIds: Array.from({ length: 25 }, (_, i) => `1000000000000000${String(i).padStart(2, '0')}`) };
    expect(refusal(full, { kind: 'channel-allow', channelId: '999999999999999999' })).toMatch(/At most 25/);
  });

  it('removes a pattern by its text or its number', () => {
    const config = apply(base, { kind: 'ban-pattern', pattern: 'a+b' }, { kind: 'ban-pattern', pattern: 'c+d' }, { kind: 'ban-pattern', pattern: 'e+f' });
    expect(apply(config, { kind: 'unban-pattern', pattern: 'c+d' }).bannedPatterns).toEqual(['a+b', 'e+f']);
    expect(apply(config, { kind: 'unban-pattern', pattern: '#3' }).bannedPatterns).toEqual(['a+b', 'c+d']);
  });

  it('a new pattern must fit in the steps the guild’s patterns leave; one already banned is named as such, even when full', () => {
    const config = apply(base, { kind: 'ban-pattern', pattern: 'a{200}' });
    expect(refusal(config, { kind: 'ban-pattern', pattern: 'b{97}' })).toMatch(/compiles to 99 steps.*\(202 in use\)/);
    const full = apply(config, { kind: 'ban-pattern', pattern: 'b{96}' });
    expect(full.bannedPatterns).toEqual(['a{200}', 'b{96}']);
    expect(refusal(full, { kind: 'ban-pattern', pattern: ' a{200} ' })).toBe('That pattern is already banned.');
    expect(refusal(full, { kind: 'ban-pattern', pattern: 'c' })).toMatch(/\(300 in use\)/);
  });

  it('allows a thread under an allowed channel, and lowers but never raises the tier’s job limit', () => {
    const config = { ...base, allowedChannelIds: ['1'] };
    expect([channelAllowed(config, '1'), channelAllowed(config, '2'), channelAllowed(config, '2', '1'), channelAllowed(base, '2')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect([memberRunningLimit(4, null), memberRunningLimit(4, 1), memberRunningLimit(2, 10)]).toEqual([4, 1, 2]);
  });
});
