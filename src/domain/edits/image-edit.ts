// What an edit of a delivered image asks for: the member's intent only (a zoom factor, a pan
// direction, a region). The canvas, the mask and the priced pixels follow from it and the source
// size (edit-geometry.ts), so a stored job and its quote can never disagree about them.
import { z } from 'zod';

/** Zoom Out factors a member may ask for: the canvas grows by this on each side's length. */
export const MIN_ZOOM = 1.1;
export const MAX_ZOOM = 4;
/** The two zoom buttons; anything else goes through the custom zoom modal. */
export const ZOOM_PRESETS = [1.5, 2] as const;

export const PAN_DIRECTIONS = ['left', 'right', 'up', 'down'] as const;
export type PanDirection = (typeof PAN_DIRECTIONS)[number];

/**
 * Regions a member can pick in Discord, where nobody can draw: the middle, a half, a quadrant,
 * or the border around the middle.
 */
export const REGION_PRESETS = [
  'centre',
  'left-half',
  'right-half',
  'top-half',
  'bottom-half',
  'top-left',
  'top-right',
  'bottom-left',
  'bottom-right',
  'border',
] as const;
export type RegionPreset = (typeof REGION_PRESETS)[number];

export const regionLabels: Readonly<Record<RegionPreset, string>> = {
  centre: 'Centre (the middle half)',
  'left-half': 'Left half',
  'right-half': 'Right half',
  'top-half': 'Top half',
  'bottom-half': 'Bottom half',
  'top-left': 'Top-left quarter',
  'top-right': 'Top-right quarter',
  'bottom-left': 'Bottom-left quarter',
  'bottom-right': 'Bottom-right quarter',
  border: 'Border (all but the middle)',
};

/** An uploaded mask paints where its grey level (0–255, transparency as black) is at least this. */
export const MASK_THRESHOLD = 128;

/** The size of the image being edited, as delivered (grid cells are their own image). */
const side = z.int().min(64).max(4096);

export const imageEditSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('zoom'), factor: z.number().min(MIN_ZOOM).max(MAX_ZOOM), sourceWidth: side, sourceHeight: side }),
  z.strictObject({ kind: z.literal('pan'), direction: z.enum(PAN_DIRECTIONS), sourceWidth: side, sourceHeight: side }),
  z.strictObject({ kind: z.literal('region'), region: z.enum(REGION_PRESETS), sourceWidth: side, sourceHeight: side }),
  /**
   * A mask the member uploaded (white = repaint, black = keep), the same size as the image. Its
   * link is fetched when the job runs; `maskedPixels` was counted from it when it was quoted.
   */
  z.strictObject({ kind: z.literal('mask'), maskUrl: z.url(), maskedPixels: z.int().min(1), sourceWidth: side, sourceHeight: side }),
]);
export type ImageEdit = z.infer<typeof imageEditSchema>;
export type EditKind = ImageEdit['kind'];
