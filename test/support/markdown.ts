// Just enough Markdown (GitHub-flavoured) to check the docs: headings and their anchors, inline
// links, code spans, and tables, outside fenced code blocks. Pure functions of the text.

export interface Line {
  /** 1-based line number in the file. */
  readonly number: number;
  readonly text: string;
}

/** The lines outside fenced code blocks (``` or ~~~), with their line numbers. */
export function proseLines(markdown: string): Line[] {
  const lines: Line[] = [];
  let fence: string | null = null;
  for (const [index, text] of markdown.split('\n').entries()) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === null && marker !== undefined) fence = marker;
    else if (fence !== null && marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && /^[`~]+$/.test(text.trim())) fence = null;
    else if (fence === null) lines.push({ number: index + 1, text });
  }
  return lines;
}

/** A line without its code spans, so a `[x](y)` or `|` inside backticks is not read as Markdown. */
export const withoutCodeSpans = (text: string): string => text.replace(/(`+)(?:(?!\1).)+?\1/g, '');

/** A heading's text as GitHub renders it: links become their text, emphasis and code markers go. */
function renderedHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|__|\*/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

/**
 * GitHub's heading anchor: lower case, punctuation removed except `-` and `_`, each space a `-`
 * (github-slugger); a repeated slug gets `-1`, `-2`… in order.
 */
export function slug(heading: string): string {
  return renderedHeading(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a file offers: its headings' slugs (with GitHub's numbering of repeats) and explicit `<a id|name>`s. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const repeats = seen.get(base) ?? 0;
      seen.set(base, repeats + 1);
      found.add(repeats === 0 ? base : `${base}-${repeats}`);
    }
    for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(match[1]!);
  }
  return found;
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images, `[text](target)` and `[text](target "title")`, outside code. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const { number, text } of proseLines(markdown)) {
    for (const match of withoutCodeSpans(text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ line: number, target: match[1]! });
    }
  }
  return found;
}

/** Links to other places on the web (or mail): everything with a scheme. */
export const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** A table row's cells: split on pipes that are not escaped (GitHub splits inside code spans too). */
export function cells(row: string): string[] {
  const trimmed = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

const isRow = (text: string) => /^ {0,3}\|/.test(text);
const isDelimiter = (text: string) => isRow(text) && cells(text).every((cell) => /^:?-+:?$/.test(cell));

export interface Table {
  /** Line number of the header row. */
  readonly line: number;
  readonly header: string[];
  readonly rows: { readonly line: number; readonly cells: string[] }[];
}

export interface TableScan {
  readonly tables: Table[];
  /** Lines that look like table rows but belong to no table (e.g. after a blank line that ended one). */
  readonly strayRows: Line[];
}

/**
 * The tables of a file: a header row, a delimiter row (`|---|`), then the rows up to the first
 * line that is not one. A row-like line anywhere else is a stray: it renders as plain text.
 */
export function tables(markdown: string): TableScan {
  const lines = proseLines(markdown);
  const found: Table[] = [];
  const strayRows: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!isRow(line.text)) continue;
    const next = lines[i + 1];
    if (next === undefined || next.number !== line.number + 1 || !isDelimiter(next.text)) {
      strayRows.push(line);
      continue;
    }
    const table: Table = { line: line.number, header: cells(line.text), rows: [] };
    i += 2;
    for (; i < lines.length && isRow(lines[i]!.text) && lines[i]!.number === lines[i - 1]!.number + 1; i++) {
      table.rows.push({ line: lines[i]!.number, cells: cells(lines[i]!.text) });
    }
    i--;
    found.push(table);
  }
  return { tables: found, strayRows };
}
