import { err, ok, type Result } from '../result.js';
import { maxPromptLength } from './job-request.js';

export type BatchPromptsProblem =
  | { readonly code: 'too-few'; readonly count: number }
  | { readonly code: 'too-long'; readonly index: number; readonly length: number; readonly max: number };

/**
 * The prompts of a /batch: split on "|" or line breaks (Discord's slash options are single-line,
 * so "|" is what members type), trimmed, empty pieces ignored. Fewer than two is not a batch.
 */
export function parseBatchPrompts(text: string): Result<string[], BatchPromptsProblem> {
  const prompts = text.split(/[|\r\n]+/).map((piece) => piece.trim()).filter((piece) => piece !== '');
  if (prompts.length < 2) return err({ code: 'too-few', count: prompts.length });
  const long = prompts.findIndex((prompt) => prompt.length > maxPromptLength);
  if (long >= 0) return err({ code: 'too-long', index: long, length: prompts[long]!.length, max: maxPromptLength });
  return ok(prompts);
}

/** One line for the job's `prompt` (what messages and logs show): the prompts joined, cut to fit. */
export function batchSummary(prompts: readonly string[]): string {
  const joined = prompts.join(' | ');
  return joined.length <= maxPromptLength ? joined : `${joined.slice(0, maxPromptLength - 1)}…`;
}
