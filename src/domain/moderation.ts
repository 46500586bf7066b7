// Prompt moderation before any credit moves: the guild's banned words and patterns and the
// operator's banned words. Pure; the quote use case calls `checkPrompt` first thing.
import safeRegex from 'safe-regex2';
import { err, ok, type Result } from './result.js';

/**
 * Text as moderation compares it: Unicode NFKC (so full-width and ligature look-alikes become
 * plain letters), format characters removed (zero-width spaces and joiners, soft hyphens, bidi
 * marks — invisible, so they are only ever there to slip a word past a filter), lower case,
 * runs of whitespace as one space.
 */
export function normalizeForModeration(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '').toLowerCase().replace(/\s+/gu, ' ');
}

/** A banned word or phrase as stored: normalised and trimmed. */
export const normalizeBannedWord = (word: string): string => normalizeForModeration(word).trim();

export const maxPatternLength = 200;

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** A word matches only whole: "ass" bans "ass" but not "class" or "assistant". */
const wholeWordRegExp = (word: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${word.split(' ').map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}\\p{M}_])`, 'u');

/** Patterns are matched case-insensitively, with Unicode semantics, against normalised text. */
const patternFlags = 'iu';

/**
 * Checks a regex an admin wants to ban: it must compile, be at most 200 characters, be safe from
 * catastrophic backtracking (no nested repetition such as `(a+)+`, which could stall the bot on
 * a crafted prompt), and not match an empty prompt (it would refuse everything).
 * Returns the pattern to store, or a sentence saying what is wrong.
 */
export function validateBannedPattern(source: string): Result<string, string> {
  const pattern = source.trim();
  if (pattern.length === 0) return err('Give a regular expression to ban.');
  if (pattern.length > maxPatternLength) return err(`A banned pattern may be at most ${maxPatternLength} characters (that one has ${pattern.length}).`);
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, patternFlags);
  } catch (error) {
    return err(`That is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (!safeRegex(pattern)) {
    return err('That pattern could take exponentially long to check (a repetition inside a repetition, like `(a+)+`, or too many repetitions); please write it more simply.');
  }
  if (compiled.test('')) return err('That pattern matches an empty prompt, so it would refuse every prompt.');
  return ok(pattern);
}

export interface ModerationRules {
  readonly guildWords: readonly string[];
  readonly guildPatterns: readonly string[];
  /** The operator's list (BANNED_WORDS), applied in every guild. */
  readonly operatorWords: readonly string[];
}

export type PromptField = 'prompt' | 'negative prompt';

export type ModerationVerdict =
  | { readonly rule: 'banned_word'; readonly word: string; readonly source: 'guild' | 'operator'; readonly field: PromptField }
  /** `index` is 1-based, as `/admin config show` numbers the patterns. */
  | { readonly rule: 'banned_pattern'; readonly index: number; readonly field: PromptField };

/** The first rule the texts break, or null when they may be generated. */
export function checkPrompt(
  texts: { readonly prompt: string; readonly prompts?: readonly string[] | undefined; readonly negativePrompt?: string | undefined }, rules: ModerationRules,
): ModerationVerdict | null {
  // A /batch's `prompt` is only a (possibly cut) summary: every one of its prompts is checked.
  const fields: [PromptField, string][] = [['prompt', texts.prompt], ...(texts.prompts ?? []).map((prompt): [PromptField, string] => ['prompt', prompt])];
  if (texts.negativePrompt) fields.push(['negative prompt', texts.negativePrompt]);
  for (const [field, raw] of fields) {
    const text = normalizeForModeration(raw);
    for (const [source, words] of [['operator', rules.operatorWords], ['guild', rules.guildWords]] as const) {
      for (const listed of words) {
        const word = normalizeBannedWord(listed);
        if (word.length > 0 && wholeWordRegExp(word).test(text)) return { rule: 'banned_word', word, source, field };
      }
    }
    for (const [at, pattern] of rules.guildPatterns.entries()) {
      if (compileStoredPattern(pattern)?.test(text)) return { rule: 'banned_pattern', index: at + 1, field };
    }
  }
  return null;
}

/** Stored patterns were validated when added; one that no longer compiles is skipped, not fatal. */
function compileStoredPattern(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, patternFlags);
  } catch {
    return null;
  }
}

/** The refusal a member reads: it names the rule, and says nothing was charged. */
export function moderationMessage(verdict: ModerationVerdict): string {
  const subject = verdict.field === 'prompt' ? 'Your prompt' : 'Your negative prompt';
  if (verdict.rule === 'banned_pattern') return `${subject} matches a banned pattern (#${verdict.index}) of this server, so it cannot be generated. Nothing was charged.`;
  const owner = verdict.source === 'guild' ? 'this server' : 'this bot';
  return `${subject} contains “${verdict.word}”, which ${owner} does not allow, so it cannot be generated. Nothing was charged.`;
}
