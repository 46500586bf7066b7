// What makes a prompt unusable whatever the guild's rules: nothing visible in it, or more than a
// model takes. Checked before moderation and before any credit moves.
import { normalizeForModeration } from '../moderation.js';
import { maxPromptLength } from './job-request.js';

export type PromptProblem =
  /** `batchIndex` (0-based) names the /batch prompt; absent for /imagine's prompt. */
  | { readonly code: 'empty'; readonly batchIndex?: number }
  | { readonly code: 'too_long'; readonly field: 'prompt' | 'negative prompt'; readonly batchIndex?: number; readonly length: number; readonly max: number };

/**
 * A prompt made only of whitespace and invisible characters (zero-width spaces and joiners, bidi
 * marks, Hangul fillers…): Discord's `min_length` counts them, a model sees nothing.
 */
export const isBlankPrompt = (text: string): boolean => normalizeForModeration(text).trim() === '';

/**
 * The first problem of the texts of a quote, or null. A /batch's `prompt` only summarises its
 * `prompts`, so they are checked instead. The negative prompt is optional: a blank one counts as
 * none (the caller drops it), only its length is checked here.
 */
export function promptProblem(texts: {
  readonly prompt: string;
  readonly prompts?: readonly string[] | undefined;
  readonly negativePrompt?: string | undefined;
}): PromptProblem | null {
  const prompts: [string, number | undefined][] = texts.prompts ? texts.prompts.map((prompt, at) => [prompt, at]) : [[texts.prompt, undefined]];
  for (const [prompt, batchIndex] of prompts) {
    const at = batchIndex === undefined ? {} : { batchIndex };
    if (isBlankPrompt(prompt)) return { code: 'empty', ...at };
    if (prompt.length > maxPromptLength) return { code: 'too_long', field: 'prompt', ...at, length: prompt.length, max: maxPromptLength };
  }
  const negative = texts.negativePrompt ?? '';
  if (negative.length > maxPromptLength) return { code: 'too_long', field: 'negative prompt', length: negative.length, max: maxPromptLength };
  return null;
}

/** The refusal a member reads. */
export function promptProblemMessage(problem: PromptProblem): string {
  const which = problem.batchIndex === undefined ? null : `Prompt ${problem.batchIndex + 1} of your batch`;
  if (problem.code === 'empty') {
    return (
      `${which ?? 'Your prompt'} is empty once invisible characters (zero-width spaces, joiners and the like) are removed — ` +
      `describe what to draw${which ? ', or leave it out' : ''}. Nothing was charged.`
    );
  }
  const subject = which ?? (problem.field === 'prompt' ? 'Your prompt' : 'Your negative prompt');
  return `${subject} has ${problem.length} characters; at most ${problem.max} are allowed. Nothing was charged.`;
}
