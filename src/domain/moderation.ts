// Prompt moderation before any credit moves: the guild's banned words and patterns and the
// operator's banned words. Pure; the quote use case calls `checkPrompt` first thing.
import { compileBannedPattern, patternWorkBudget } from './banned-patterns.js';

/**
 * Text as moderation compares it: Unicode NFKC (so full-width and ligature look-alikes become
 * plain letters), format and other default-ignorable characters removed (zero-width spaces and
 * joiners, soft hyphens, bidi marks, variation selectors, Hangul fillers — invisible, so they are
 * only ever there to slip a word past a filter), lower case, runs of whitespace as one space.
 */
export function normalizeForModeration(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ');
}

/** A banned word or phrase as stored: normalised and trimmed. */
export const normalizeBannedWord = (word: string): string => normalizeForModeration(word).trim();

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/**
 * A word matches only whole: "ass" bans "ass" but not "class" or "assistant". The word is escaped
 * (a literal), so this native RegExp runs in linear time whatever the admin banned.
 */
const wholeWordRegExp = (word: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${word.split(' ').map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}\\p{M}_])`, 'u');

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
  | { readonly rule: 'banned_pattern'; readonly index: number; readonly field: PromptField }
  /** Checking the texts against the guild's patterns would cost more than `patternWorkBudget`. */
  | { readonly rule: 'too_costly_to_check'; readonly patterns: number };

/** The first rule the texts break, or null when they may be generated. */
export function checkPrompt(
  texts: { readonly prompt: string; readonly prompts?: readonly string[] | undefined; readonly negativePrompt?: string | undefined },
  rules: ModerationRules,
): ModerationVerdict | null {
  // A /batch's `prompt` is only a (possibly cut) summary: every one of its prompts is checked.
  const fields: [PromptField, string][] = [['prompt', texts.prompt], ...(texts.prompts ?? []).map((prompt): [PromptField, string] => ['prompt', prompt])];
  if (texts.negativePrompt) fields.push(['negative prompt', texts.negativePrompt]);
  const normalized = fields.map(([field, raw]) => [field, normalizeForModeration(raw)] as const);
  const words = (['operator', 'guild'] as const).flatMap((source) =>
    (source === 'operator' ? rules.operatorWords : rules.guildWords)
      .map(normalizeBannedWord)
      .filter((word) => word.length > 0)
      .map((word) => ({ source, word, regExp: wholeWordRegExp(word) })),
  );
  // Compiled for this check only: each compiled RE2 keeps a lazy DFA cache (up to 8 MB), so a
  // cache of compiled patterns would hold that much memory for every hostile guild's patterns.
  const patterns = rules.guildPatterns.flatMap((pattern, at) => {
    const compiled = compileBannedPattern(pattern);
    return compiled.ok ? [{ index: at + 1, regExp: compiled.value }] : [];
  });
  // RE2's work is at most linear in steps × characters: priced before any pattern runs, so no
  // combination of patterns and texts costs more than the budget.
  const characters = normalized.reduce((sum, [, text]) => sum + text.length + 1, 0);
  const work = patterns.reduce((sum, { regExp }) => sum + regExp.programSize(), 0) * characters;
  const affordable = work <= patternWorkBudget;
  for (const [field, text] of normalized) {
    for (const { source, word, regExp } of words) {
      if (regExp.test(text)) return { rule: 'banned_word', word, source, field };
    }
    if (!affordable) continue;
    for (const { index, regExp } of patterns) {
      if (regExp.test(text)) return { rule: 'banned_pattern', index, field };
    }
  }
  return affordable ? null : { rule: 'too_costly_to_check', patterns: patterns.length };
}

/** The refusal a member reads: it names the rule, and says nothing was charged. */
export function moderationMessage(verdict: ModerationVerdict): string {
  if (verdict.rule === 'too_costly_to_check') {
    return (
      `Your prompt is too long to check against this server’s ${verdict.patterns} banned patterns; please shorten it ` +
      '(or ask a server admin to simplify the patterns). Nothing was charged.'
    );
  }
  const subject = verdict.field === 'prompt' ? 'Your prompt' : 'Your negative prompt';
  if (verdict.rule === 'banned_pattern')
    return `${subject} matches a banned pattern (#${verdict.index}) of this server, so it cannot be generated. Nothing was charged.`;
  const owner = verdict.source === 'guild' ? 'this server' : 'this bot';
  return `${subject} contains “${verdict.word}”, which ${owner} does not allow, so it cannot be generated. Nothing was charged.`;
}
