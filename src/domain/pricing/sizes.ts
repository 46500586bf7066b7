/** Image sizes: "WxH" strings on the card, or an aspect ratio such as "16:9" in a request. */
export type Size = { readonly width: number; readonly height: number };

/** Sides must be multiples of this (diffusion models work in 8-pixel latent blocks). */
export const SIDE_MULTIPLE = 8;
export const MIN_SIDE = 256;
export const MAX_SIDE = 2048;
/** An aspect ratio picks the allowed size whose ratio is nearest, if it is off by at most 5%. */
export const ASPECT_TOLERANCE = 0.05;

const SIZE_PATTERN = /^\s*(\d{1,5})\s*[x×X]\s*(\d{1,5})\s*$/;
const ASPECT_PATTERN = /^\s*(\d{1,3})\s*:\s*(\d{1,3})\s*$/;

export const formatSize = (size: Size): string => `${size.width}x${size.height}`;

export const megapixels = (size: Size): number => (size.width * size.height) / 1_000_000;

/** Parses "1024x1024" (also "1024×1024"); undefined when it is not two whole numbers. */
export function parseSize(text: string): Size | undefined {
  const match = SIZE_PATTERN.exec(text);
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Why a size cannot be on a card, or undefined when it can. */
export function sizeProblem(text: string): string | undefined {
  const size = parseSize(text);
  if (!size) return `"${text}" is not a size; write it as WIDTHxHEIGHT, e.g. "1024x1024"`;
  for (const side of [size.width, size.height]) {
    if (side % SIDE_MULTIPLE !== 0) return `"${text}": sides must be multiples of ${SIDE_MULTIPLE}`;
    if (side < MIN_SIDE || side > MAX_SIDE) {
      return `"${text}": sides must be between ${MIN_SIDE} and ${MAX_SIDE} pixels`;
    }
  }
  return undefined;
}

export function parseAspectRatio(text: string): number | undefined {
  const match = ASPECT_PATTERN.exec(text);
  const [w, h] = [Number(match?.[1]), Number(match?.[2])];
  return match && w > 0 && h > 0 ? w / h : undefined;
}

/**
 * The allowed size a request means: an exact "WxH" from the list, or for "W:H" the listed size
 * with the nearest ratio (first listed wins a tie). Undefined when nothing fits.
 */
export function resolveSize(requested: string, allowed: readonly string[]): Size | undefined {
  const sizes = allowed.map(parseSize).filter((s): s is Size => s !== undefined);
  const exact = parseSize(requested);
  if (exact) return sizes.find((s) => s.width === exact.width && s.height === exact.height);
  const ratio = parseAspectRatio(requested);
  if (ratio === undefined) return undefined;
  let best: { size: Size; distance: number } | undefined;
  for (const size of sizes) {
    // Log distance treats 16:9 vs 9:16 symmetrically.
    const distance = Math.abs(Math.log(size.width / size.height / ratio));
    if (!best || distance < best.distance) best = { size, distance };
  }
  // The epsilon keeps a ratio exactly at the tolerance (21:20 for 1:1) inside it despite rounding.
  return best && best.distance <= Math.log1p(ASPECT_TOLERANCE) + 1e-12 ? best.size : undefined;
}

/** Ratios members ask for; /pricing labels each allowed size with the one it serves. */
export const COMMON_ASPECT_RATIOS = ['1:1', '16:9', '9:16', '3:2', '2:3', '4:3', '3:4', '21:9', '9:21'] as const;

/** The common ratio a size serves (1344x768 → "16:9"), else its exact reduced ratio. */
export function aspectRatioLabel(size: Size): string {
  const text = formatSize(size);
  const common = COMMON_ASPECT_RATIOS.find((ratio) => resolveSize(ratio, [text]) !== undefined);
  if (common) return common;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(size.width, size.height);
  return `${size.width / d}:${size.height / d}`;
}
