import { describe, expect, it } from 'vitest';
import { checkPrompt, moderationMessage, normalizeForModeration } from '../../../src/domain/moderation.js';

const rules = (over: Partial<Parameters<typeof checkPrompt>[1]> = {}) => ({ guildWords: [], guildPatterns: [], operatorWords: [], ...over });

describe('prompt moderation', () => {
  it('normalises look-alikes, invisible characters, case and spacing', () => {
    expect(normalizeForModeration('ＤＲＡ\u200bＧＯＮ\u00ad  ﬁre')).toBe('dragon fire');
    // Variation selectors, the combining grapheme joiner and Hangul fillers are invisible too.
    expect(normalizeForModeration('dra\ufe0fg\u034fo\u3164n')).toBe('dragon');
    expect(checkPrompt({ prompt: 'a drag\ufe0fon' }, rules({ guildWords: ['dragon'] }))).toMatchObject({ rule: 'banned_word', word: 'dragon' });
  });

  it('matches banned words whole, in any script, in the prompt or the negative prompt', () => {
    const guild = rules({ guildWords: ['ass', 'red panda', 'çà'] });
    expect(checkPrompt({ prompt: 'a class assistant' }, guild)).toBeNull();
    expect(checkPrompt({ prompt: 'an ASS!' }, guild)).toMatchObject({ rule: 'banned_word', word: 'ass', source: 'guild', field: 'prompt' });
    expect(checkPrompt({ prompt: 'a RED\tpanda' }, guild)).toMatchObject({ word: 'red panda' });
    expect(checkPrompt({ prompt: 'ça çàx' }, guild)).toBeNull();
    expect(checkPrompt({ prompt: 'x', negativePrompt: 'çà' }, guild)).toMatchObject({ word: 'çà', field: 'negative prompt' });
  });

  it('checks the operator’s words first and names who bans it', () => {
    const verdict = checkPrompt({ prompt: 'gore' }, rules({ guildWords: ['gore'], operatorWords: ['Gore'] }))!;
    expect(verdict).toMatchObject({ source: 'operator', word: 'gore' });
    expect(moderationMessage(verdict)).toMatch(/“gore”, which this bot does not allow.*Nothing was charged/);
  });

  it('numbers the pattern that matched, from 1', () => {
    const verdict = checkPrompt({ prompt: 'Blood moon' }, rules({ guildPatterns: ['^x$', 'blood\\s+moon'] }))!;
    expect(verdict).toEqual({ rule: 'banned_pattern', index: 2, field: 'prompt' });
    expect(moderationMessage(verdict)).toMatch(/banned pattern \(#2\)/);
  });
});
