// An image a member uploads to start from (img2img): checked before any quote, so bad input gets
// a clear message and nothing is stored or charged.

export interface SourceAttachment {
  readonly contentType: string | null;
  readonly size: number;
  readonly width: number | null;
  readonly height: number | null;
}

export const sourceImageTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
/** What the providers accept comfortably; Discord CDN images are far below it in practice. */
export const maxSourceImageBytes = 20 * 1024 * 1024;
export const minSourceSide = 64;
export const maxSourceSide = 4096;

/** Why the attachment cannot be used, in the member's words; null when it is fine. */
export function sourceAttachmentProblem(attachment: SourceAttachment): string | null {
  const type = attachment.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(sourceImageTypes as readonly string[]).includes(type)) {
    return `The \`image\` must be a PNG, JPEG or WebP picture${type ? ` (this one is ${type})` : ''}.`;
  }
  if (attachment.size > maxSourceImageBytes) {
    return `The \`image\` is too large (${(attachment.size / 1024 / 1024).toFixed(1)} MiB; the limit is ${maxSourceImageBytes / 1024 / 1024} MiB).`;
  }
  const { width, height } = attachment;
  if (width === null || height === null) return 'The `image` could not be read as a picture.';
  if (Math.min(width, height) < minSourceSide || Math.max(width, height) > maxSourceSide) {
    return `The \`image\` must be between ${minSourceSide} and ${maxSourceSide} pixels a side (this one is ${width}×${height}).`;
  }
  return null;
}

/**
 * When Discord stops serving an attachment link: its CDN links are signed with `ex`, the expiry
 * in hex Unix seconds (about a day after upload). null for a link without one (not Discord's, or
 * an older unsigned link), which is tried as it is.
 */
export function attachmentLinkExpiry(url: string): Date | null {
  let ex: string | null;
  try {
    ex = new URL(url).searchParams.get('ex');
  } catch {
    return null;
  }
  if (ex === null || !/^[0-9a-f]{1,12}$/i.test(ex)) return null;
  return new Date(Number.parseInt(ex, 16) * 1000);
}

/** The member's words for a re-roll whose uploaded picture Discord no longer serves. */
export const expiredSourceText =
  'The picture this image started from was uploaded over a day ago, and Discord no longer serves it. Run `/imagine` again with the picture attached. Nothing was charged.';
