// The operators' configuration table (docs/operations.md, "Configuration") and .env.example name
// the same variables: a variable added to one and forgotten in the other fails here.
// (test/unit/config.test.ts checks that .env.example covers everything src/config.ts reads.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { proseLines, tables } from '../support/markdown.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** The names `.env.example` assigns (`NAME=…`), commented-out examples (`# NAME=…`) included. */
function exampleVariables(text: string): string[] {
  return text.split('\n').flatMap((line) => /^\s*(?:#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);
}

/** The variables in the first column of the first table under the `## Configuration` heading. */
function tableVariables(markdown: string): string[] {
  const heading = proseLines(markdown).find((line) => /^##\s+Configuration\s*$/.test(line.text));
  if (heading === undefined) throw new Error('docs/operations.md has no "## Configuration" heading');
  const table = tables(markdown).tables.find((candidate) => candidate.line > heading.number);
  if (table === undefined) throw new Error('no table under "## Configuration"');
  expect(table.header[0]).toBe('variable');
  return table.rows.flatMap((row) => [...(row.cells[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!));
}

describe('the configuration table in docs/operations.md', () => {
  const documented = tableVariables(read('docs/operations.md'));
  const example = exampleVariables(read('.env.example'));

  it('finds the variables on both sides', () => {
    expect(example.length).toBeGreaterThan(20);
    expect(documented.length).toBeGreaterThan(20);
  });

  it('documents every variable of .env.example', () => {
    expect(example.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('documents nothing .env.example lacks', () => {
    expect(documented.filter((name) => !example.includes(name))).toEqual([]);
  });

  it('names each variable once', () => {
    expect(documented.filter((name, index) => documented.indexOf(name) !== index)).toEqual([]);
  });

  it('reads names the way .env.example is written', () => {
    expect(exampleVariables('# comment\nA_B=1\n# C_D=\nlower=x\n  E=\n')).toEqual(['A_B', 'C_D', 'E']);
  });
});
