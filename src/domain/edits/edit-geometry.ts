// The canvas, the mask and the priced pixels of an edit: pure arithmetic on rectangles, shared by
// the quote (which prices the pixels) and both providers (which build the canvas and mask), so
// what a member pays for is exactly what is drawn.
import { err, ok, type Result } from '../result.js';
import type { ImageEdit, PanDirection, RegionPreset } from './image-edit.js';
import { MAX_ZOOM } from './image-edit.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface Canvas {
  readonly width: number;
  readonly height: number;
}

/** The largest canvas side an edit may make (the job request's limit, and Discord-uploadable). */
export const MAX_CANVAS_SIDE = 4096;
/** Margins and shifts are whole 8-pixel blocks: diffusion models work in them. */
const BLOCK = 8;

export interface EditPlan {
  /** Outpainting adds pixels around the source; inpainting repaints pixels inside it. */
  readonly operation: 'outpaint' | 'inpaint';
  /** The output's size. */
  readonly canvas: Canvas;
  /** Where the source's top-left corner sits on the canvas; negative when part of it is shifted off. */
  readonly placement: { readonly x: number; readonly y: number };
  /** The canvas areas to paint (white in the mask), or the member's own mask. Never overlapping. */
  readonly paint: readonly Rect[] | 'uploaded-mask';
  /** What is priced: the pixels added (outpaint) or repainted (inpaint). Always ≥ 1. */
  readonly pricedPixels: number;
}

export type EditPlanProblem = { readonly code: 'canvas_too_large'; readonly maxFactor: number } | { readonly code: 'mask_too_large' };

const area = (rects: readonly Rect[]): number => rects.reduce((sum, r) => sum + r.width * r.height, 0);
const toBlock = (value: number): number => Math.round(value / BLOCK) * BLOCK;

/** The canvas minus `inner`, as up to four bands: full-width top and bottom, then left and right. */
export function around(canvas: Canvas, inner: Rect): Rect[] {
  const bands: Rect[] = [
    { x: 0, y: 0, width: canvas.width, height: inner.y },
    { x: 0, y: inner.y + inner.height, width: canvas.width, height: canvas.height - inner.y - inner.height },
    { x: 0, y: inner.y, width: inner.x, height: inner.height },
    { x: inner.x + inner.width, y: inner.y, width: canvas.width - inner.x - inner.width, height: inner.height },
  ];
  return bands.filter((r) => r.width > 0 && r.height > 0);
}

/** The largest zoom factor whose canvas fits, to two decimals, for the member's message. */
const maxZoomFor = (w: number, h: number): number => Math.min(MAX_ZOOM, Math.floor((MAX_CANVAS_SIDE / Math.max(w, h)) * 100) / 100);

function zoomPlan(w: number, h: number, factor: number): Result<EditPlan, EditPlanProblem> {
  // Whole blocks on each side, at least one: the source stays exactly centred and unscaled.
  const mx = Math.max(BLOCK, toBlock((w * (factor - 1)) / 2));
  const my = Math.max(BLOCK, toBlock((h * (factor - 1)) / 2));
  const canvas = { width: w + 2 * mx, height: h + 2 * my };
  if (Math.max(canvas.width, canvas.height) > MAX_CANVAS_SIDE) return err({ code: 'canvas_too_large', maxFactor: maxZoomFor(w, h) });
  const paint = around(canvas, { x: mx, y: my, width: w, height: h });
  return ok({ operation: 'outpaint', canvas, placement: { x: mx, y: my }, paint, pricedPixels: area(paint) });
}

/** Pans move the view by half the image: half of it stays, shifted, and half is new. */
function panPlan(w: number, h: number, direction: PanDirection): EditPlan {
  const sx = Math.max(BLOCK, toBlock(w / 2));
  const sy = Math.max(BLOCK, toBlock(h / 2));
  const canvas = { width: w, height: h };
  const shapes: Record<PanDirection, { placement: { x: number; y: number }; paint: Rect }> = {
    right: { placement: { x: -sx, y: 0 }, paint: { x: w - sx, y: 0, width: sx, height: h } },
    left: { placement: { x: sx, y: 0 }, paint: { x: 0, y: 0, width: sx, height: h } },
    down: { placement: { x: 0, y: -sy }, paint: { x: 0, y: h - sy, width: w, height: sy } },
    up: { placement: { x: 0, y: sy }, paint: { x: 0, y: 0, width: w, height: sy } },
  };
  const { placement, paint } = shapes[direction];
  return { operation: 'outpaint', canvas, placement, paint: [paint], pricedPixels: area([paint]) };
}

/** A preset region of a w×h image, as rectangles to repaint. */
export function regionRects(w: number, h: number, region: RegionPreset): Rect[] {
  const hw = Math.floor(w / 2);
  const hh = Math.floor(h / 2);
  const quarter = (right: boolean, bottom: boolean): Rect => ({
    x: right ? hw : 0,
    y: bottom ? hh : 0,
    width: right ? w - hw : hw,
    height: bottom ? h - hh : hh,
  });
  const middle = (fraction: number): Rect => {
    const x = Math.floor(w * fraction);
    const y = Math.floor(h * fraction);
    return { x, y, width: w - 2 * x, height: h - 2 * y };
  };
  switch (region) {
    case 'centre':
      return [middle(1 / 4)];
    case 'left-half':
      return [{ x: 0, y: 0, width: hw, height: h }];
    case 'right-half':
      return [{ x: hw, y: 0, width: w - hw, height: h }];
    case 'top-half':
      return [{ x: 0, y: 0, width: w, height: hh }];
    case 'bottom-half':
      return [{ x: 0, y: hh, width: w, height: h - hh }];
    case 'top-left':
      return [quarter(false, false)];
    case 'top-right':
      return [quarter(true, false)];
    case 'bottom-left':
      return [quarter(false, true)];
    case 'bottom-right':
      return [quarter(true, true)];
    case 'border':
      // An eighth of each side all round: what is left is the middle three quarters.
      return around({ width: w, height: h }, middle(1 / 8));
  }
}

/** The plan of an edit of a `sourceWidth`×`sourceHeight` image; a problem when it cannot be made. */
export function planEdit(edit: ImageEdit): Result<EditPlan, EditPlanProblem> {
  const { sourceWidth: w, sourceHeight: h } = edit;
  const same = { canvas: { width: w, height: h }, placement: { x: 0, y: 0 } };
  switch (edit.kind) {
    case 'zoom':
      return zoomPlan(w, h, edit.factor);
    case 'pan':
      return ok(panPlan(w, h, edit.direction));
    case 'region': {
      const paint = regionRects(w, h, edit.region);
      return ok({ operation: 'inpaint', ...same, paint, pricedPixels: area(paint) });
    }
    case 'mask':
      if (edit.maskedPixels > w * h) return err({ code: 'mask_too_large' });
      return ok({ operation: 'inpaint', ...same, paint: 'uploaded-mask', pricedPixels: edit.maskedPixels });
  }
}
