import { describe, expect, it } from 'vitest';
import { aspectRatioLabel, parseSize, resolveSize } from '../../../../src/domain/pricing/sizes.js';

const allowed = ['1024x1024', '1344x768', '768x1344', '1216x832', '832x1216'];

describe('sizes and aspect ratios', () => {
  it('parses WIDTHxHEIGHT with x, X or ×', () => {
    expect(parseSize('1024x768')).toEqual({ width: 1024, height: 768 });
    expect(parseSize(' 1024 X 768 ')).toEqual({ width: 1024, height: 768 });
    expect(parseSize('1024×768')).toEqual({ width: 1024, height: 768 });
    expect(parseSize('1024*768')).toBeUndefined();
  });

  it('accepts an exact size only when the model lists it', () => {
    expect(resolveSize('1344x768', allowed)).toEqual({ width: 1344, height: 768 });
    expect(resolveSize('768x768', allowed)).toBeUndefined();
  });

  it.each([
    ['1:1', '1024x1024'],
    ['16:9', '1344x768'],
    ['9:16', '768x1344'],
    ['3:2', '1216x832'],
    ['2:3', '832x1216'],
  ])('maps the aspect ratio %s to the listed size %s', (ratio, size) => {
    const resolved = resolveSize(ratio, allowed);
    expect(resolved && `${resolved.width}x${resolved.height}`).toBe(size);
  });

  it('refuses an aspect ratio more than 5% away from every listed size', () => {
    // 21:9 = 2.33 is 33% wider than 1344x768 (1.75).
    expect(resolveSize('21:9', allowed)).toBeUndefined();
    expect(resolveSize('0:9', allowed)).toBeUndefined();
    expect(resolveSize('wide', allowed)).toBeUndefined();
  });

  it('accepts an aspect ratio at the 5% tolerance and refuses it just beyond', () => {
    // 21:20 is exactly 5% wider than 1:1; 106:100 is 6% wider.
    expect(resolveSize('21:20', ['1024x1024'])).toBeDefined();
    expect(resolveSize('20:21', ['1024x1024'])).toBeDefined();
    expect(resolveSize('106:100', ['1024x1024'])).toBeUndefined();
  });

  it('labels a size with the common ratio it serves', () => {
    expect(aspectRatioLabel({ width: 1344, height: 768 })).toBe('16:9');
    expect(aspectRatioLabel({ width: 1024, height: 1024 })).toBe('1:1');
    expect(aspectRatioLabel({ width: 1280, height: 1024 })).toBe('5:4');
  });
});
