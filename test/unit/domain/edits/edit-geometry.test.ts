import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planEdit, regionRects, type EditPlan, type Rect } from '../../../../src/domain/edits/edit-geometry.js';
import { REGION_PRESETS, type ImageEdit } from '../../../../src/domain/edits/image-edit.js';

function plan(edit: ImageEdit): EditPlan {
  const planned = planEdit(edit);
  if (!planned.ok) throw new Error(planned.error.code);
  return planned.value;
}
const area = (rects: readonly Rect[]) => rects.reduce((sum, r) => sum + r.width * r.height, 0);
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (r: Rect, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;
const rectsOf = (p: EditPlan): readonly Rect[] => (p.paint === 'uploaded-mask' ? [] : p.paint);

describe('planEdit: Zoom Out', () => {
  it('a 2× zoom of 1024² asks for a 2048² canvas with the source centred at (512, 512) and 3·1024² new pixels', () => {
    const p = plan({ kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 });
    expect(p).toMatchObject({ operation: 'outpaint', canvas: { width: 2048, height: 2048 }, placement: { x: 512, y: 512 } });
    expect(p.pricedPixels).toBe(3 * 1024 * 1024);
    expect(area(rectsOf(p))).toBe(p.pricedPixels);
  });

  it('a 1.5× zoom of 1344x768 adds whole 8-pixel margins: 2016x1152', () => {
    const p = plan({ kind: 'zoom', factor: 1.5, sourceWidth: 1344, sourceHeight: 768 });
    expect(p.canvas).toEqual({ width: 2016, height: 1152 });
    expect(p.placement).toEqual({ x: 336, y: 192 });
    expect(p.pricedPixels).toBe(2016 * 1152 - 1344 * 768);
  });

  it('refuses a canvas past 4096 a side and names the largest zoom that fits', () => {
    expect(planEdit({ kind: 'zoom', factor: 4, sourceWidth: 1344, sourceHeight: 768 })).toEqual({
      ok: false,
      error: { code: 'canvas_too_large', maxFactor: 3.04 },
    });
    expect(planEdit({ kind: 'zoom', factor: 4, sourceWidth: 1024, sourceHeight: 1024 }).ok).toBe(true);
  });
});

describe('planEdit: Pan', () => {
  it('pan right keeps the size, moves the source half a width left and paints the right half', () => {
    const p = plan({ kind: 'pan', direction: 'right', sourceWidth: 1024, sourceHeight: 1024 });
    expect(p).toMatchObject({ operation: 'outpaint', canvas: { width: 1024, height: 1024 }, placement: { x: -512, y: 0 } });
    expect(p.paint).toEqual([{ x: 512, y: 0, width: 512, height: 1024 }]);
  });

  it.each([
    ['left', { x: 512, y: 0 }, { x: 0, y: 0, width: 512, height: 1024 }],
    ['up', { x: 0, y: 512 }, { x: 0, y: 0, width: 1024, height: 512 }],
    ['down', { x: 0, y: -512 }, { x: 0, y: 512, width: 1024, height: 512 }],
  ] as const)('pan %s paints the side it moves towards', (direction, placement, paint) => {
    const p = plan({ kind: 'pan', direction, sourceWidth: 1024, sourceHeight: 1024 });
    expect(p.placement).toEqual(placement);
    expect(p.paint).toEqual([paint]);
  });
});

describe('planEdit: Vary (Region)', () => {
  it('repaints exactly the region: the centre of 1024² is its middle 512²', () => {
    const p = plan({ kind: 'region', region: 'centre', sourceWidth: 1024, sourceHeight: 1024 });
    expect(p).toMatchObject({ operation: 'inpaint', canvas: { width: 1024, height: 1024 }, placement: { x: 0, y: 0 } });
    expect(p.paint).toEqual([{ x: 256, y: 256, width: 512, height: 512 }]);
    expect(p.pricedPixels).toBe(512 * 512);
  });

  it('the border is everything but the middle three quarters', () => {
    const p = plan({ kind: 'region', region: 'border', sourceWidth: 1024, sourceHeight: 1024 });
    expect(p.pricedPixels).toBe(1024 * 1024 - 768 * 768);
  });

  it('an uploaded mask is priced by its white pixels, and cannot cover more than the image', () => {
    expect(plan({ kind: 'mask', maskUrl: 'https://cdn.discordapp.com/m.png', maskedPixels: 1000, sourceWidth: 64, sourceHeight: 64 }).pricedPixels).toBe(1000);
    expect(planEdit({ kind: 'mask', maskUrl: 'https://cdn.discordapp.com/m.png', maskedPixels: 4097, sourceWidth: 64, sourceHeight: 64 }).ok).toBe(false);
  });

  it('every preset is inside the image, in rectangles that do not overlap, on any size', () => {
    const sizes = fc.record({ w: fc.integer({ min: 64, max: 4096 }), h: fc.integer({ min: 64, max: 4096 }) });
    fc.assert(
      fc.property(sizes, fc.constantFrom(...REGION_PRESETS), ({ w, h }, region) => {
        const rects = regionRects(w, h, region);
        expect(rects.every((r) => inside(r, w, h) && r.width > 0 && r.height > 0)).toBe(true);
        rects.forEach((a, i) => rects.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
        expect(area(rects)).toBeGreaterThan(0);
        expect(area(rects)).toBeLessThan(w * h);
      }),
    );
  });
});

describe('planEdit properties', () => {
  const zooms = fc.record({
    w: fc.integer({ min: 8, max: 256 }).map((n) => n * 8),
    h: fc.integer({ min: 8, max: 256 }).map((n) => n * 8),
    factor: fc.double({ min: 1.1, max: 4, noNaN: true }),
  });

  it('a zoom paints exactly the canvas around the unscaled source, never over it', () => {
    fc.assert(
      fc.property(zooms, ({ w, h, factor }) => {
        const planned = planEdit({ kind: 'zoom', factor, sourceWidth: w, sourceHeight: h });
        if (!planned.ok) return;
        const { canvas, placement } = planned.value;
        const source = { ...placement, width: w, height: h };
        const rects = rectsOf(planned.value);
        expect(inside(source, canvas.width, canvas.height)).toBe(true);
        expect(rects.every((r) => inside(r, canvas.width, canvas.height) && !overlaps(r, source))).toBe(true);
        expect(area(rects)).toBe(canvas.width * canvas.height - w * h);
        expect(planned.value.pricedPixels).toBe(area(rects));
      }),
    );
  });

  it('a bigger zoom never adds fewer pixels', () => {
    fc.assert(
      fc.property(zooms, fc.double({ min: 0, max: 1, noNaN: true }), ({ w, h, factor }, more) => {
        const bigger = Math.min(4, factor + more);
        const a = planEdit({ kind: 'zoom', factor, sourceWidth: w, sourceHeight: h });
        const b = planEdit({ kind: 'zoom', factor: bigger, sourceWidth: w, sourceHeight: h });
        if (a.ok && b.ok) expect(b.value.pricedPixels).toBeGreaterThanOrEqual(a.value.pricedPixels);
      }),
    );
  });
});
