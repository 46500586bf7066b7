import { describe, expect, it } from 'vitest';
import { maskCoverageProblem, maskProblem, parseZoomFactor } from '../../../../src/domain/edits/edit-input.js';

describe('parseZoomFactor', () => {
  it.each([
    ['2', 2],
    ['1.5', 1.5],
    [' 3x ', 3],
    ['2,5×', 2.5],
    ['1.1', 1.1],
    ['4', 4],
  ])('reads %j as %d', (text, factor) => {
    expect(parseZoomFactor(text)).toEqual({ ok: true, value: factor });
  });

  it.each([
    ['abc', 'is not a zoom factor'],
    ['', 'is not a zoom factor'],
    ['0.5', 'between 1.1 and 4'],
    ['1', 'between 1.1 and 4'],
    ['1.09', 'between 1.1 and 4'],
    ['4.01', 'between 1.1 and 4'],
    ['100', 'between 1.1 and 4'],
  ])('refuses %j with a sentence (%s)', (text, words) => {
    const parsed = parseZoomFactor(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(words);
  });
});

describe('maskProblem', () => {
  const image = { width: 1024, height: 1024 };
  it('accepts a PNG the size of the image', () => {
    expect(maskProblem({ contentType: 'image/png', width: 1024, height: 1024 }, image)).toBeNull();
  });
  it('refuses a file that is not a picture', () => {
    expect(maskProblem({ contentType: 'text/plain', width: null, height: null }, image)).toContain('must be a PNG, JPEG or WebP');
  });
  it('refuses a mask of another size, naming both sizes', () => {
    expect(maskProblem({ contentType: 'image/png', width: 512, height: 512 }, image)).toBe(
      'The mask must be the same size as the image: 1024×1024 (this one is 512×512).',
    );
  });
  it('refuses a mask that repaints nothing or everything', () => {
    expect(maskCoverageProblem(0, image)).toContain('no white area');
    expect(maskCoverageProblem(1024 * 1024, image)).toContain('white everywhere');
    expect(maskCoverageProblem(1, image)).toBeNull();
  });
});
