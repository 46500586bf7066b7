import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planEdit } from '../../../../src/domain/edits/edit-geometry.js';
import { REGION_PRESETS, type ImageEdit } from '../../../../src/domain/edits/image-edit.js';
import { formatBreakdown } from '../../../../src/domain/pricing/format-breakdown.js';
import { quote, type Quote, type QuoteRequest } from '../../../../src/domain/pricing/quote.js';
import { testCard, tierOf } from './card-fixture.js';

// The fixture card plus a fill model and edit factors: outpaint 1, inpaint 1.5.
const card = testCard((raw) => {
  Object.assign(raw.operationFactors, { inpaint: 1.5, outpaint: 1 });
  Object.assign(raw.models, {
    fill: {
      label: 'Fill',
      providerModelId: 'acme/fill',
      class: 'quality',
      baseCreditsPerMegapixel: 4,
      defaultSteps: 28,
      maxSteps: 50,
      sizes: ['1024x1024'],
      operations: ['inpaint', 'outpaint'],
    },
  });
});
const ultra = tierOf(card, 'ultra');

function priced(request: QuoteRequest): Quote {
  const result = quote(card, request, ultra);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function editRequest(edit: ImageEdit, extra: Partial<QuoteRequest> = {}): QuoteRequest {
  const planned = planEdit(edit);
  if (!planned.ok) throw new Error(planned.error.code);
  return { model: 'fill', operation: planned.value.operation, edit: { canvas: planned.value.canvas, pricedPixels: planned.value.pricedPixels }, ...extra };
}

describe('quote: edits are priced by the pixels they draw', () => {
  it('a 2× zoom of 1024² is priced on the 3.15 MP it adds, on a 2048² canvas', () => {
    const q = priced(editRequest({ kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 }));
    expect(q.size).toBe('2048x2048');
    expect(q.total).toBe(Math.ceil(4 * 3.145728)); // 12.58 → 13
    expect(q.breakdown.edit).toEqual({ pricedPixels: 3_145_728, megapixels: 3.145728 });
    expect(formatBreakdown(q)).toBe('fill 4/MP × 3.15 MP added to 2048x2048 × 28/28 steps × outpaint 1 = 13 credits ($0.13)');
  });

  it('a pan is priced on the half it adds', () => {
    const q = priced(editRequest({ kind: 'pan', direction: 'left', sourceWidth: 1024, sourceHeight: 1024 }));
    expect(q.size).toBe('1024x1024');
    expect(q.total).toBe(Math.ceil(4 * 0.524288)); // 2.10 → 3
  });

  it('a region is priced on the pixels it repaints, times the inpaint factor', () => {
    const q = priced(editRequest({ kind: 'region', region: 'centre', sourceWidth: 1024, sourceHeight: 1024 }));
    expect(q.total).toBe(Math.ceil(4 * 0.262144 * 1.5)); // 1.57 → 2
    expect(formatBreakdown(q)).toContain('0.26 MP repainted of 1024x1024 × 28/28 steps × inpaint 1.5');
  });

  it('a canvas that is not one of the model sizes is still priced (the sizes limit new images, not edits)', () => {
    expect(priced(editRequest({ kind: 'zoom', factor: 1.5, sourceWidth: 1344, sourceHeight: 768 })).size).toBe('2016x1152');
  });

  it('refuses an edit on a model that cannot do it, naming what it can do', () => {
    const result = quote(card, { ...editRequest({ kind: 'pan', direction: 'up', sourceWidth: 1024, sourceHeight: 1024 }), model: 'sdxl' }, ultra);
    expect(result.ok).toBe(false);
  });

  it('older cards without inpaint/outpaint factors still parse, pricing them at 1', () => {
    const old = testCard();
    expect(old.operationFactors.inpaint).toBe(1);
    expect(old.operationFactors.outpaint).toBe(1);
  });
});

describe('edit price properties: never cheaper for more pixels', () => {
  const side = fc.integer({ min: 8, max: 256 }).map((n) => n * 8);
  const steps = fc.integer({ min: 1, max: 50 });

  it('any priced area: more pixels never cost less, at any steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), steps, (pixels, more, s) => {
        const canvas = { width: 4096, height: 4096 };
        for (const operation of ['inpaint', 'outpaint'] as const) {
          const a = priced({ model: 'fill', operation, steps: s, edit: { canvas, pricedPixels: pixels } });
          const b = priced({ model: 'fill', operation, steps: s, edit: { canvas, pricedPixels: Math.min(canvas.width * canvas.height, pixels + more) } });
          expect(b.total).toBeGreaterThanOrEqual(a.total);
          expect(a.total).toBeGreaterThanOrEqual(1);
        }
      }),
    );
  });

  it('a bigger zoom of the same image never costs less', () => {
    fc.assert(
      fc.property(side, side, fc.double({ min: 1.1, max: 4, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), (w, h, factor, more) => {
        const a = planEdit({ kind: 'zoom', factor, sourceWidth: w, sourceHeight: h });
        const b = planEdit({ kind: 'zoom', factor: Math.min(4, factor + more), sourceWidth: w, sourceHeight: h });
        if (!a.ok || !b.ok) return;
        const price = (p: typeof a.value) => priced({ model: 'fill', operation: 'outpaint', edit: { canvas: p.canvas, pricedPixels: p.pricedPixels } }).total;
        expect(price(b.value)).toBeGreaterThanOrEqual(price(a.value));
      }),
    );
  });

  it('a region never costs more than repainting the whole image, and a bigger image never makes it cheaper', () => {
    fc.assert(
      fc.property(side, side, fc.constantFrom(...REGION_PRESETS), fc.integer({ min: 0, max: 64 }), (w, h, region, grow) => {
        const at = (width: number, height: number) => {
          const planned = planEdit({ kind: 'region', region, sourceWidth: width, sourceHeight: height });
          if (!planned.ok) throw new Error('region plans always succeed');
          return priced({ model: 'fill', operation: 'inpaint', edit: { canvas: planned.value.canvas, pricedPixels: planned.value.pricedPixels } }).total;
        };
        const whole = priced({ model: 'fill', operation: 'inpaint', edit: { canvas: { width: w, height: h }, pricedPixels: w * h } }).total;
        expect(at(w, h)).toBeLessThanOrEqual(whole);
        expect(at(w + grow * 8, h)).toBeGreaterThanOrEqual(at(w, h));
      }),
    );
  });
});
