// A guild's banned patterns: regular expressions its admins write and every prompt of the guild is
// matched against. Any Discord user can own a guild, so the admin who writes the pattern and the
// members who send the text may be one attacker; with a backtracking engine (JavaScript's RegExp)
// `(a|a)*b` against 40 `a`s runs for hours and freezes the bot for every guild.
//
// They run on re2js instead: a pure-JavaScript port of RE2 (no dependency, no install script, no
// native build; it installs wherever npm does). RE2 matches in one pass, in time linear in the text
// times the size of the compiled program, and refuses the constructs that need backtracking
// (backreferences, lookaround). The native `re2` binding needs a C++ build or a binary downloaded
// from GitHub at install (neither possible where the only network is the npm registry, and it
// wants Node ≥ 22.22); `re2-wasm` has a single release (1.0.2) and each call crosses into
// WebAssembly. re2js is maintained (2.10.0, November 2026) and reports `programSize()`, the
// compiled program's size, which is what lets the work per prompt be bounded below.
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { maxPromptLength } from './jobs/job-request.js';
import { err, ok, type Result } from './result.js';
import { errorMessage } from '../shared/error-message.js';

export const maxPatternLength = 200;

/**
 * The most RE2 program steps (instructions) a guild's patterns may have together. Checking a text
 * costs at most about steps × characters; realistic patterns have 5–40 steps (`blood(y|shed)`: 15,
 * `\b(kill|murder)\s+(him|her|them)\b`: 32), while `a{1000}`-style counts reach thousands.
 */
export const maxPatternSteps = 300;

/**
 * The most pattern work (steps × characters, summed over the texts checked) one quote may cost:
 * a full-length prompt and negative prompt against a full set of patterns. Measured worst case on
 * a 2-core machine, with patterns built to defeat RE2's DFA cache: about 130 ns per unit, so one
 * quote's patterns cost at most about 120 ms, against hours with a backtracking engine.
 */
export const patternWorkBudget = maxPatternSteps * 2 * (maxPromptLength + 1);

/** Flags of every banned pattern: case-insensitive. RE2 matches Unicode code points by default. */
const patternFlags = RE2JS.CASE_INSENSITIVE;

export interface BannedPatternRefusal {
  /** `unsupported`: valid elsewhere, but RE2 cannot run it in linear time; `invalid`: not a regex. */
  readonly kind: 'unsupported' | 'invalid';
  /** What is wrong, short enough for `/admin config show`. */
  readonly reason: string;
}

const needsBacktracking =
  'banned patterns run on RE2, which checks a prompt in one pass in time proportional to its length, and this would need backtracking — what let one pattern freeze the bot for every server';

/** The compiled pattern, or why RE2 refuses it. Never throws. */
export function compileBannedPattern(source: string): Result<RE2JS, BannedPatternRefusal> {
  try {
    return ok(RE2JS.compile(source, patternFlags));
  } catch (error) {
    return err(refusalOf(error));
  }
}

function refusalOf(error: unknown): BannedPatternRefusal {
  if (!(error instanceof RE2JSSyntaxException)) return { kind: 'invalid', reason: errorMessage(error) };
  // The case-insensitive flag is compiled as a `(?i)` prefix, which the admin never wrote; a
  // backtick in their text would end the code span it is shown in.
  const at = (error.input ?? '').replace(/^\(\?i\)/, '').replaceAll('`', 'ˋ');
  if (/^\(\?<?[=!]/.test(at))
    return { kind: 'unsupported', reason: 'uses a lookahead or lookbehind (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`), which RE2 does not support' };
  if (/^\\([1-9]|k)/.test(at)) return { kind: 'unsupported', reason: 'uses a backreference (`\\1`, `\\k<name>`), which RE2 does not support' };
  if (at.startsWith('\\u')) return { kind: 'invalid', reason: 'RE2 writes a character code as `\\x{00e9}`, not `\\u00e9`' };
  if (/^\\[pP]/.test(at))
    return { kind: 'invalid', reason: `RE2 does not know \`${at}\`; it names Unicode classes briefly: \`\\p{L}\`, \`\\p{Lu}\`, \`\\p{Greek}\`` };
  if (error.error === 'invalid repeat count') return { kind: 'invalid', reason: 'a repetition count is over 1000 (counts inside counts multiply)' };
  return { kind: 'invalid', reason: at ? `${error.error}: \`${at}\`` : error.error };
}

/** One stored pattern as the checker sees it: its size, or why it is skipped. */
export type BannedPatternStatus =
  { readonly pattern: string; readonly active: true; readonly steps: number } | { readonly pattern: string; readonly active: false; readonly reason: string };

/**
 * Each stored pattern's status, in stored order. A pattern RE2 refuses (stored before patterns
 * ran on RE2, when lookarounds and backreferences were allowed) is inactive: skipped, never fatal.
 */
export function bannedPatternStatuses(patterns: readonly string[]): BannedPatternStatus[] {
  return patterns.map((pattern) => {
    const compiled = compileBannedPattern(pattern);
    return compiled.ok ? { pattern, active: true, steps: compiled.value.programSize() } : { pattern, active: false, reason: compiled.error.reason };
  });
}

/** The steps of a guild's active patterns together (counted against `maxPatternSteps`). */
export const activePatternSteps = (statuses: readonly BannedPatternStatus[]): number =>
  statuses.reduce((sum, status) => sum + (status.active ? status.steps : 0), 0);

/**
 * Checks a regex an admin wants to ban, next to the guild's current patterns: it must be RE2
 * syntax RE2 accepts, be at most 200 characters, keep the guild's patterns within
 * `maxPatternSteps`, and not match an empty prompt (it would refuse everything).
 * Returns the pattern to store, or a sentence saying what is wrong.
 */
export function validateBannedPattern(source: string, current: readonly string[] = []): Result<string, string> {
  const pattern = source.trim();
  if (pattern.length === 0) return err('Give a regular expression to ban.');
  if (pattern.length > maxPatternLength) return err(`A banned pattern may be at most ${maxPatternLength} characters (that one has ${pattern.length}).`);
  const compiled = compileBannedPattern(pattern);
  if (!compiled.ok) {
    return err(
      compiled.error.kind === 'unsupported'
        ? `That pattern ${compiled.error.reason}: ${needsBacktracking}. Please write it without one.`
        : `That is not a valid regular expression (RE2 syntax): ${compiled.error.reason}.`,
    );
  }
  const steps = compiled.value.programSize();
  const used = activePatternSteps(bannedPatternStatuses(current));
  if (used + steps > maxPatternSteps) {
    return err(
      `That pattern is too big to check quickly: it compiles to ${steps} steps, and this server’s patterns may have ${maxPatternSteps} together ` +
        `(${used} in use). Use smaller repetition counts (like {1,20} instead of {1,500}), or unban a pattern first.`,
    );
  }
  if (compiled.value.test('')) return err('That pattern matches an empty prompt, so it would refuse every prompt.');
  return ok(pattern);
}
