import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { parsePriceCard, priceCardError, type PriceCardError, type PriceCardProblem } from '../domain/pricing/parse-price-card.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { err, type Result } from '../domain/result.js';
import { fromProjectRoot } from '../shared/project-root.js';
import { errorMessage } from '../shared/error-message.js';

/** `price-card.yaml` at the repository root. */
export const DEFAULT_PRICE_CARD_PATH = fromProjectRoot('price-card.yaml');

/** A card that cannot be used; the message names the file and every problem, one per line. */
export class PriceCardInvalidError extends Error {
  override readonly name = 'PriceCardInvalidError';
  readonly source: string;
  readonly problems: readonly PriceCardProblem[];

  constructor(error: PriceCardError) {
    super(error.message);
    this.source = error.source;
    this.problems = error.problems;
  }
}

/** Reads and validates a card file; a missing file, bad YAML and bad fields all become problems. */
export async function loadPriceCard(path: string = DEFAULT_PRICE_CARD_PATH): Promise<Result<PriceCard, PriceCardError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = errorMessage(cause);
    return err(priceCardError(path, [{ path: '(file)', segments: [], message: `cannot be read: ${reason}` }]));
  }
  return parsePriceCardYaml(text, path);
}

/** For a startup routine: the card, or a thrown {@link PriceCardInvalidError} to print and exit. */
export async function loadPriceCardOrThrow(path?: string): Promise<PriceCard> {
  const result = await loadPriceCard(path);
  if (!result.ok) throw new PriceCardInvalidError(result.error);
  return result.value;
}

/** Parses card YAML; problems carry the line (and for syntax errors the column) they are on. */
export function parsePriceCardYaml(text: string, source: string): Result<PriceCard, PriceCardError> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error): PriceCardProblem => {
      const position = error.linePos?.[0];
      // prettyErrors appends " at line L, column C:" and a code excerpt; the position is kept apart.
      const message = (error.message.split('\n')[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, '');
      return { path: 'YAML syntax', segments: [], message, ...(position && { line: position.line, column: position.col }) };
    });
    return err(priceCardError(source, problems));
  }
  const parsed = parsePriceCard(doc.toJS(), source);
  if (parsed.ok) return parsed;
  const located = parsed.error.problems.map((problem) => {
    const line = lineOf(doc, lineCounter, problem.segments);
    return line === undefined ? problem : { ...problem, line };
  });
  return err(priceCardError(source, located));
}

/** The line of the node at `segments`, or of its nearest ancestor present in the file (for a missing field). */
function lineOf(doc: Document, lineCounter: LineCounter, segments: readonly PropertyKey[]): number | undefined {
  for (let depth = segments.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(segments.slice(0, depth), true);
    const offset = (node as { range?: readonly number[] } | undefined)?.range?.[0];
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return undefined;
}
