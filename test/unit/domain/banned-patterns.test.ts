import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activePatternSteps,
  bannedPatternStatuses,
  compileBannedPattern,
  maxPatternSteps,
  patternWorkBudget,
  validateBannedPattern,
} from '../../../src/domain/banned-patterns.js';
import { maxPromptLength } from '../../../src/domain/jobs/job-request.js';
import { checkPrompt, moderationMessage, normalizeForModeration } from '../../../src/domain/moderation.js';

const rules = (guildPatterns: string[], guildWords: string[] = []) => ({ guildWords, guildPatterns, operatorWords: [] });
const stepsOf = (pattern: string) => {
  const compiled = compileBannedPattern(pattern);
  if (!compiled.ok) throw new Error(compiled.error.reason);
  return compiled.value.programSize();
};

describe('banned patterns on RE2', () => {
  it('keeps the old matching rules: case-insensitive, Unicode, against normalised text', () => {
    const match = (pattern: string, prompt: string) => checkPrompt({ prompt }, rules([pattern]))?.rule === 'banned_pattern';
    expect(match('blood(y|shed)', 'A BLOODSHED')).toBe(true);
    expect(match('\\bgore\\b', 'gorey')).toBe(false);
    expect(match('^a cat$', '  A   Cat ')).toBe(false);
    expect(match('^ a cat $', '  A   Cat ')).toBe(true);
    expect(match('émile', 'ÉMILE')).toBe(true);
    expect(match('\\p{Greek}+', 'a δράκος')).toBe(true);
    expect(match('^.$', '😀')).toBe(true);
    expect(match('ｄｒａｇｏｎ', 'dragon')).toBe(false);
    expect(match('dragon', 'ｄｒａ\u200bｇｏｎ')).toBe(true);
  });

  it('agrees with JavaScript’s own RegExp (flags iu) on patterns both accept', () => {
    const atom = fc.constantFrom('a', 'b', 'c', 'é', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '\\W', '\\b', '^', '$', ' ', '1');
    const pattern = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('node'), tie('node')).map(([x, y]) => `${x}${y}`),
        fc.tuple(tie('node'), tie('node')).map(([x, y]) => `(?:${x}|${y})`),
        fc.tuple(tie('node'), fc.constantFrom('*', '+', '?', '{1,3}', '{2}')).map(([x, q]) => `(?:${x})${q}`),
      ),
    })).node;
    const text = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'c', 'É', 'é', ' ', '1', '_', '-', '\t'), maxLength: 12 });
    fc.assert(
      fc.property(pattern, text, (source, raw) => {
        const compiled = compileBannedPattern(source);
        if (!compiled.ok) return true;
        const normalized = normalizeForModeration(raw);
        expect(compiled.value.test(normalized), `${source} on ${JSON.stringify(normalized)}`).toBe(new RegExp(source, 'iu').test(normalized));
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the patterns that froze the old engine, and checks a long prompt against them in linear time', () => {
    const evil = ['(a|a)*b', '(a+)+$', '(.*a){20}', '(\\w*)*x', '(a|aa|aaa|aaaa)+$'];
    const stored: string[] = [];
    for (const pattern of evil) {
      const checked = validateBannedPattern(pattern, stored);
      expect(checked).toEqual({ ok: true, value: pattern });
      stored.push(pattern);
    }
    // A backtracking engine takes about a second at 24 `a`s for `(a|a)*b` alone, doubling per `a`.
    const started = performance.now();
    for (const length of [24, 40, 60, 500, maxPromptLength]) {
      expect(checkPrompt({ prompt: `${'a'.repeat(length)}!` }, rules(['(a|a)*b', '(\\w*)*x']))).toBeNull();
      expect(checkPrompt({ prompt: 'a'.repeat(length) }, rules(stored))).toEqual({ rule: 'banned_pattern', index: 2, field: 'prompt' });
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('refuses lookaround and backreferences, saying RE2 cannot check them in linear time', () => {
    for (const lookaround of ['(?=x)a', 'a(?!b)', '(?<=x)a', '(?<!x)a']) {
      const refused = validateBannedPattern(lookaround);
      expect(refused, lookaround).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^That pattern uses a lookahead or lookbehind .*RE2 does not support: .*time proportional to its length.*backtracking/),
      });
    }
    for (const backreference of ['(a)\\1', '(?<x>a)\\k<x>']) {
      expect(validateBannedPattern(backreference), backreference).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^That pattern uses a backreference .*RE2 does not support/),
      });
    }
  });

  it('refuses bad syntax with a hint where JavaScript and RE2 differ', () => {
    expect(validateBannedPattern('[a-')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^That is not a valid regular expression \(RE2 syntax\): missing closing \]/),
    });
    expect(validateBannedPattern('(unclosed')).toMatchObject({
      ok: false,
      error: 'That is not a valid regular expression (RE2 syntax): missing closing ): `(unclosed`.',
    });
    expect(validateBannedPattern('caf\\u00e9')).toMatchObject({ ok: false, error: expect.stringContaining('`\\x{00e9}`, not `\\u00e9`') });
    expect(validateBannedPattern('\\p{Letter}+')).toMatchObject({ ok: false, error: expect.stringContaining('RE2 does not know `\\p{Letter}`') });
    expect(validateBannedPattern('a{1001}')).toMatchObject({ ok: false, error: expect.stringContaining('over 1000') });
    expect(validateBannedPattern('a`{1001}')).toMatchObject({ ok: false, error: expect.not.stringContaining('a`') });
  });

  it('refuses what matches an empty prompt, a blank pattern and one over 200 characters', () => {
    expect(validateBannedPattern('a?')).toMatchObject({ ok: false, error: expect.stringMatching(/empty prompt/) });
    expect(validateBannedPattern('   ')).toMatchObject({ ok: false, error: 'Give a regular expression to ban.' });
    expect(validateBannedPattern(`x${'y'.repeat(199)}`)).toMatchObject({ ok: true });
    expect(validateBannedPattern(`x${'y'.repeat(200)}`)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at most 200 characters \(that one has 201\)/),
    });
  });

  it('keeps a guild’s active patterns within the step limit, counting only what runs', () => {
    expect(stepsOf('a{298}')).toBe(maxPatternSteps);
    expect(validateBannedPattern('a{298}')).toMatchObject({ ok: true });
    expect(validateBannedPattern('a{299}')).toMatchObject({ ok: false, error: expect.stringMatching(/compiles to 301 steps.* 300 together \(0 in use\)/) });
    const current = ['blood(y|shed)', '(a)\\1'];
    expect(activePatternSteps(bannedPatternStatuses(current))).toBe(15);
    expect(validateBannedPattern('b{283}', current)).toMatchObject({ ok: true });
    expect(validateBannedPattern('b{284}', current)).toMatchObject({ ok: false, error: expect.stringMatching(/286 steps.*\(15 in use\)/) });
  });

  it('skips stored patterns RE2 refuses without failing the others', () => {
    const stored = ['(a)\\1', 'dragon', '(?=x)xy'];
    expect(bannedPatternStatuses(stored)).toEqual([
      { pattern: '(a)\\1', active: false, reason: expect.stringMatching(/backreference/) },
      { pattern: 'dragon', active: true, steps: stepsOf('dragon') },
      { pattern: '(?=x)xy', active: false, reason: expect.stringMatching(/lookahead or lookbehind/) },
    ]);
    expect(checkPrompt({ prompt: 'aa xy' }, rules(stored))).toBeNull();
    expect(checkPrompt({ prompt: 'a dragon' }, rules(stored))).toEqual({ rule: 'banned_pattern', index: 2, field: 'prompt' });
  });

  it('refuses, before running any pattern, texts that would cost more than the work budget; words are still named', () => {
    const full = ['a{298}'];
    expect(patternWorkBudget).toBe(maxPatternSteps * 2 * (maxPromptLength + 1));
    const x = (n: number) => 'x'.repeat(n);
    // steps × (characters + 1 per text): 300 × (1501 + 1501) is exactly the budget.
    expect(checkPrompt({ prompt: x(maxPromptLength), negativePrompt: x(maxPromptLength) }, rules(full))).toBeNull();
    const over = checkPrompt({ prompt: x(maxPromptLength), negativePrompt: x(maxPromptLength + 1) }, rules(full))!;
    expect(over).toEqual({ rule: 'too_costly_to_check', patterns: 1 });
    expect(moderationMessage(over)).toMatch(/too long to check against this server’s 1 banned patterns.*Nothing was charged/);
    expect(checkPrompt({ prompt: `dragon ${x(maxPromptLength)}`, negativePrompt: x(maxPromptLength) }, rules(full, ['dragon']))).toMatchObject({
      rule: 'banned_word',
      word: 'dragon',
    });
    // A /batch counts every prompt.
    const batch = Array.from({ length: 5 }, () => x(700));
    expect(checkPrompt({ prompt: x(maxPromptLength), prompts: batch }, rules(full))).toEqual({ rule: 'too_costly_to_check', patterns: 1 });
    expect(checkPrompt({ prompt: x(maxPromptLength), prompts: batch }, rules(['dragon']))).toBeNull();
  });
});
