import { describe, expect, it } from 'vitest';
import { maxPromptLength } from '../../../../src/domain/jobs/job-request.js';
import { isBlankPrompt, promptProblem, promptProblemMessage } from '../../../../src/domain/jobs/prompt-problem.js';

describe('prompt problems', () => {
  it('a prompt of only invisible characters or whitespace is blank; emoji joined by ZWJ and text with invisibles are not', () => {
    for (const blank of ['\u200b\u200d', ' \u2060\ufeff\u00ad ', '\u3164', '\ufe0f\u034f', '\u202e\u200e', ''])
      expect(isBlankPrompt(blank), JSON.stringify(blank)).toBe(true);
    for (const visible of ['👨\u200d👩\u200d👧', 'a\u200b', '.', '龍']) expect(isBlankPrompt(visible), visible).toBe(false);
  });

  it('refuses a blank prompt, and names the blank prompt of a batch', () => {
    const empty = promptProblem({ prompt: '\u200b\u200d' })!;
    expect(empty).toEqual({ code: 'empty' });
    expect(promptProblemMessage(empty)).toBe(
      'Your prompt is empty once invisible characters (zero-width spaces, joiners and the like) are removed — describe what to draw. Nothing was charged.',
    );
    const batch = promptProblem({ prompt: 'a fox | \u200b', prompts: ['a fox', '\u200b', '\u2060'] })!;
    expect(batch).toEqual({ code: 'empty', batchIndex: 1 });
    expect(promptProblemMessage(batch)).toMatch(
      /^Prompt 2 of your batch is empty once invisible characters .* describe what to draw, or leave it out\. Nothing was charged\.$/,
    );
    expect(promptProblem({ prompt: 'a fox | a hen', prompts: ['a fox', 'a hen'] })).toBeNull();
  });

  it('a negative prompt may be blank (it is dropped), but not too long', () => {
    expect(promptProblem({ prompt: 'a fox', negativePrompt: '\u200b' })).toBeNull();
    expect(promptProblem({ prompt: 'a fox', negativePrompt: 'x'.repeat(maxPromptLength) })).toBeNull();
    const long = promptProblem({ prompt: 'a fox', negativePrompt: 'x'.repeat(maxPromptLength + 1) })!;
    expect(long).toEqual({ code: 'too_long', field: 'negative prompt', length: 1501, max: 1500 });
    expect(promptProblemMessage(long)).toBe('Your negative prompt has 1501 characters; at most 1500 are allowed. Nothing was charged.');
  });

  it('refuses a prompt over the length limit, at 1501 characters and not at 1500', () => {
    expect(promptProblem({ prompt: 'x'.repeat(maxPromptLength) })).toBeNull();
    expect(promptProblem({ prompt: 'x'.repeat(maxPromptLength + 1) })).toMatchObject({ code: 'too_long', field: 'prompt', length: 1501 });
    expect(promptProblemMessage(promptProblem({ prompt: 'ok', prompts: ['ok', 'x'.repeat(1501)] })!)).toMatch(/^Prompt 2 of your batch has 1501 characters/);
  });
});
