import type * as z from 'zod';
import { err, ok, type Result } from '../result.js';
import { cardIssueMessage, closestKey } from './card-issue-messages.js';
import { knownKeysAt, renderPath } from './card-issue-paths.js';
import { priceCardSchema, type PriceCard } from './price-card-schema.js';

/** One thing wrong with a card: where (`tiers.pro.maxBatch`) and why, in words for an operator. */
export type PriceCardProblem = {
  readonly path: string;
  /** Raw path into the parsed document, so a loader can add the YAML line. */
  readonly segments: readonly PropertyKey[];
  readonly message: string;
  /** 1-based position in the source file, when the loader knows it. */
  readonly line?: number;
  readonly column?: number;
};

export type PriceCardError = {
  readonly kind: 'invalid-price-card';
  /** Where the card came from (a file path), named in the message. */
  readonly source: string;
  readonly problems: readonly PriceCardProblem[];
  /** Every problem, one `path: reason` line each; ready to print at startup. */
  readonly message: string;
};

export function formatProblem(problem: PriceCardProblem): string {
  const column = problem.column === undefined ? '' : `, column ${problem.column}`;
  const where = problem.line === undefined ? '' : ` (line ${problem.line}${column})`;
  return `${problem.path}: ${problem.message}${where}`;
}

export function priceCardError(source: string, problems: readonly PriceCardProblem[]): PriceCardError {
  const heading = `Price card ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`;
  const message = [heading, ...problems.map((p) => `  - ${formatProblem(p)}`)].join('\n');
  return { kind: 'invalid-price-card', source, problems, message };
}

/** Validates a card already read from YAML/JSON; every problem is reported, not just the first. */
export function parsePriceCard(raw: unknown, source: string): Result<PriceCard, PriceCardError> {
  const parsed = priceCardSchema.safeParse(raw, { error: cardIssueMessage });
  if (parsed.success) return ok(parsed.data);
  return err(
    priceCardError(
      source,
      parsed.error.issues.flatMap((issue) => toProblems(issue, raw)),
    ),
  );
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown): PriceCardProblem[] {
  const problem = (segments: readonly PropertyKey[], message: string): PriceCardProblem => ({
    path: renderPath(segments, raw),
    segments,
    message,
  });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(priceCardSchema, issue.path);
      return issue.keys.map((key) => {
        const guess = closestKey(key, known);
        const hint = guess ? `did you mean "${guess}"?` : `known fields: ${known.join(', ')}`;
        return problem([...issue.path, key], `unknown field (${hint})`);
      });
    }
    case 'invalid_key':
      return [problem(issue.path, `invalid name: ${issue.issues.map((i) => i.message).join('; ')}`)];
    default:
      return [problem(issue.path, issue.message)];
  }
}
