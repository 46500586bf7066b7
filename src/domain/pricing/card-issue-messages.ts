import type * as z from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const EXPECTED: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
};

/** A short description of a value as the operator wrote it in YAML. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

const bound = (inclusive: boolean | undefined, below: boolean, limit: unknown): string =>
  `must be ${below ? (inclusive ? '≥' : 'more than') : inclusive ? '≤' : 'less than'} ${String(limit)}`;

/**
 * Zod's messages name TypeScript types ("expected int, received number"); an operator editing
 * YAML needs "must be a whole number, got 2.5". Messages written on the schema take precedence.
 */
export function cardIssueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return bound(issue.inclusive, true, issue.minimum);
    case 'too_big':
      if (issue.origin === 'array') return `must list at most ${String(issue.maximum)} item(s)`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return bound(issue.inclusive, false, issue.maximum);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}; got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key an unknown one is most likely a typo of, if any is close enough. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const scored = known.map((key) => ({ key, distance: editDistance(unknown.toLowerCase(), key.toLowerCase()) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(unknown.length / 4)) ? best.key : undefined;
}
