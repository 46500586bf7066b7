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
