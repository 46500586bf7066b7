import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/domain/pricing/parse-price-card.js';
import {
  DEFAULT_PRICE_CARD_PATH,
  loadPriceCard,
  loadPriceCardOrThrow,
  PriceCardInvalidError,
  parsePriceCardYaml,
} from '../../../src/pricing/load-price-card.js';

let dir: string;
let defaultYaml: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'price-card-'));
  defaultYaml = await readFile(DEFAULT_PRICE_CARD_PATH, 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const problemLines = (yaml: string): string[] => {
  const result = parsePriceCardYaml(yaml, 'card.yaml');
  return result.ok ? [] : result.error.problems.map(formatProblem);
};

describe('loading the price card file', () => {
  it('loads the default card at the repository root', async () => {
    const card = await loadPriceCardOrThrow();
    expect(card.creditsPerDollar).toBe(100);
    expect(Object.keys(card.models)).toEqual(expect.arrayContaining(['flux-schnell', 'sdxl', 'flux-dev', 'flux-pro']));
    expect(card.tiers.map((t) => t.name)).toEqual(['none', 'starter', 'pro', 'ultra', 'max']);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const broken = defaultYaml.replace('freeDailyCredits: 20', 'freeDailyCredits: 20: 30');
    const line = defaultYaml.split('\n').findIndex((l) => l.startsWith('freeDailyCredits')) + 1;
    expect(problemLines(broken)).toEqual([`YAML syntax: Nested mappings are not allowed in compact mappings (line ${line}, column 19)`]);
  });

  it('reports a duplicated key as a YAML error', () => {
    expect(problemLines('creditsPerDollar: 100\ncreditsPerDollar: 200\n')).toEqual(['YAML syntax: Map keys must be unique (line 2, column 1)']);
  });

  it('adds the line of each bad field, or of its parent when the field is missing', () => {
    const yaml = defaultYaml.replace('    defaultSteps: 28\n', '    defaultSteps: 60\n').replace('    label: FLUX.1 pro\n', '');
    const lineOf = (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(problemLines(yaml)).toEqual([
      `models.flux-dev.defaultSteps: must be ≤ maxSteps (50) (line ${lineOf('defaultSteps: 60')})`,
      `models.flux-pro.label: is required (line ${lineOf('providerModelId: black-forest-labs/flux-pro')})`,
    ]);
  });

  it('asks for quotes around a Discord SKU id that YAML would round', () => {
    const yaml = defaultYaml.replace(
      '{ id: credits-500, credits: 500, priceUsd: 5 }',
      '{ id: credits-500, credits: 500, priceUsd: 5, discordSkuId: 1234567890123456789 }',
    );
    expect(problemLines(yaml)).toEqual([
      expect.stringMatching(/^packs\.credits-500\.discordSkuId: must be in quotes: unquoted, YAML rounds an id this long \(line \d+\)$/),
    ]);
    expect(problemLines(yaml.replace('discordSkuId: 1234567890123456789', 'discordSkuId: "1234567890123456789"'))).toEqual([]);
  });

  it('reports a missing file as a problem with the file', async () => {
    const path = join(dir, 'missing.yaml');
    const result = await loadPriceCard(path);
    expect(result.ok ? '' : result.error.message).toMatch(new RegExp(`^Price card ${path} has 1 problem:\n  - \\(file\\): cannot be read: ENOENT`));
  });

  it('throws one PriceCardInvalidError naming the file and every bad field', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(
      path,
      defaultYaml.replace('creditsPerDollar: 100', 'creditsPerDollar: 0').replace('baseCreditsPerMegapixel: 4', 'baseCreditsPerMegapxel: 4'),
    );
    const error = await loadPriceCardOrThrow(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PriceCardInvalidError);
    const invalid = error as PriceCardInvalidError;
    expect(invalid.name).toBe('PriceCardInvalidError');
    expect(invalid.source).toBe(path);
    expect(invalid.message.split('\n')).toEqual([
      `Price card ${path} has 3 problems:`,
      expect.stringMatching(/^ {2}- creditsPerDollar: must be more than 0 \(line \d+\)$/),
      expect.stringMatching(/^ {2}- models\.sdxl\.baseCreditsPerMegapixel: is required \(line \d+\)$/),
      expect.stringMatching(/^ {2}- models\.sdxl\.baseCreditsPerMegapxel: unknown field \(did you mean "baseCreditsPerMegapixel"\?\) \(line \d+\)$/),
    ]);
  });
});
