import { err, ok, type Result } from '../result.js';
import { maxImagesPerJob, maxPromptLength } from './job-request.js';

export type BatchPromptsProblem =
  | { readonly code: 'too-few'; readonly count: number }
  | { readonly code: 'too-many'; readonly count: number; readonly max: number }
  | { readonly code: 'too-long'; readonly index: number; readonly length: number; readonly max: number };

/**
 * The prompts of a /batch: split on "|" or line breaks (Discord's slash options are single-line,
 * so "|" is what members type), trimmed, empty pieces ignored. Fewer than two is not a batch;
 * more than a job holds is refused here, before each is checked against the guild's moderation
 * (6000 characters of "a|a|…" would otherwise be 3000 prompts to check).
 */
export function parseBatchPrompts(text: string): Result<string[], BatchPromptsProblem> {
  const prompts = text
    .split(/[|\r\n]+/)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
  if (prompts.length < 2) return err({ code: 'too-few', count: prompts.length });
  if (prompts.length > maxImagesPerJob) return err({ code: 'too-many', count: prompts.length, max: maxImagesPerJob });
  const long = prompts.findIndex((prompt) => prompt.length > maxPromptLength);
  if (long >= 0) return err({ code: 'too-long', index: long, length: prompts[long]!.length, max: maxPromptLength });
  return ok(prompts);
}

/** One line for the job's `prompt` (what messages and logs show): the prompts joined, cut to fit. */
export function batchSummary(prompts: readonly string[]): string {
  const joined = prompts.join(' | ');
  return joined.length <= maxPromptLength ? joined : `${joined.slice(0, maxPromptLength - 1)}…`;
}
