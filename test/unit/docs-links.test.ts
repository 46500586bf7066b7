// The documentation renders and its links lead somewhere: every relative link in README.md,
// docs/*.md and bench/README.md names a file that exists (and, with a #fragment into Markdown, a
// heading there); every table keeps its rows together with one column count; every repository
// path written in code (`src/...`, `prisma/migrations/*_ledger_functions`) exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchors, isExternal, links, proseLines, slug, tables } from '../support/markdown.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docsDir = path.join(root, 'docs');
const documents = [
  'README.md',
  ...(existsSync(docsDir)
    ? readdirSync(docsDir)
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => `docs/${name}`)
    : []),
  'bench/README.md',
].filter((file) => existsSync(path.join(root, file)));

/** Written by commands, not kept in git: `npm run bench`, `npm install` (prisma generate). */
const generated = new Set(['bench/results.json', 'src/db/generated']);

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('GitHub heading anchors', () => {
  it('are lower case, without punctuation but - and _, spaces made dashes', () => {
    expect(slug('Server settings (`/admin config`)')).toBe('server-settings-admin-config');
    expect(slug('Past ~2,500 guilds: sharding')).toBe('past-2500-guilds-sharding');
    expect(slug('What server admins can and cannot do (for operators)')).toBe('what-server-admins-can-and-cannot-do-for-operators');
    expect(slug('Migrations without Prisma’s binary')).toBe('migrations-without-prismas-binary');
    expect(slug('**Ledger** [figures](x.md) and `keys`')).toBe('ledger-figures-and-keys');
    expect(slug('A busy server — and Discord’s limits')).toBe('a-busy-server--and-discords-limits');
    expect(slug('snake_case kept')).toBe('snake_case-kept');
  });

  it('number a repeated heading', () => {
    expect([...anchors('# Notes\n## Notes\n```\n# not a heading\n```\n### Notes\n')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });
});

describe('the tables check', () => {
  it('finds a row split off by a blank line and a row with a missing cell', () => {
    const { tables: found, strayRows } = tables('| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n');
    expect(found).toHaveLength(1);
    expect(found[0]!.rows).toHaveLength(1);
    expect(strayRows.map((row) => row.number)).toEqual([5]);
    expect(tables('| a | b |\n|---|---|\n| 1 |\n').tables[0]!.rows[0]!.cells).toHaveLength(1);
    expect(tables('| a | b |\n|---|---|\n| `x \\| y` | 2 |\n').tables[0]!.rows[0]!.cells).toHaveLength(2);
  });
});

describe.each(documents)('%s', (file) => {
  const markdown = read(file);

  it('links only to files that exist, and to headings that exist', () => {
    const broken: string[] = [];
    for (const { line, target } of links(markdown)) {
      if (isExternal(target)) continue;
      const [pathPart = '', fragment] = target.split('#', 2);
      const resolved = pathPart === '' ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), decodeURIComponent(pathPart));
      if (!resolved.startsWith(root) || !existsSync(resolved)) {
        broken.push(`${file}:${line}: ${target} — no such file`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(fragment))) {
        broken.push(`${file}:${line}: ${target} — no heading #${fragment} in ${path.relative(root, resolved)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps each table whole: no row cut off by a blank line, one column count per table', () => {
    const { tables: found, strayRows } = tables(markdown);
    expect(strayRows.map((row) => `${file}:${row.number}: a table row outside any table (a blank line inside the table?)`)).toEqual([]);
    const uneven = found.flatMap((table) =>
      table.rows
        .filter((row) => row.cells.length !== table.header.length)
        .map((row) => `${file}:${row.line}: ${row.cells.length} cells, the header (line ${table.line}) has ${table.header.length}`),
    );
    expect(uneven).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const missing: string[] = [];
    for (const { number, text } of proseLines(markdown)) {
      for (const match of text.matchAll(/`((?:src|test|prisma|bench|commands|docs)\/[^`\s]*)`/g)) {
        const written = match[1]!;
        // Placeholders (`<timestamp>_add_something`) name files yet to be written.
        if (/[<>…]/.test(written) || generated.has(written.replace(/\/$/, ''))) continue;
        if (!repositoryPathExists(written)) missing.push(`${file}:${number}: ${written}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

it('the documents this test reads are all there', () => {
  expect(documents).toEqual(expect.arrayContaining(['README.md', 'docs/server-admins.md', 'docs/operations.md', 'docs/architecture.md', 'bench/README.md']));
});

/** A path, or a pattern where `*` stands for any characters within one path segment. */
function repositoryPathExists(written: string): boolean {
  const clean = written.replace(/\/$/, '');
  if (!clean.includes('*')) return existsSync(path.join(root, clean));
  let candidates = [root];
  for (const segment of clean.split('/')) {
    const pattern = new RegExp(
      `^${segment
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`,
    );
    candidates = candidates.flatMap((dir) =>
      statSync(dir).isDirectory()
        ? readdirSync(dir)
            .filter((name) => pattern.test(name))
            .map((name) => path.join(dir, name))
        : [],
    );
  }
  return candidates.length > 0;
}
