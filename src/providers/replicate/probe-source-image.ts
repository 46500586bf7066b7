import { providerFailure } from '../provider-failure.js';
import type { FetchLike } from './send-create-once.js';

export interface ProbeOptions {
  readonly fetch: FetchLike;
  readonly maxBytes: number;
  readonly jobId: string;
  readonly signal?: AbortSignal;
  /** @defaultValue 5000 */
  readonly timeoutMs?: number;
}

/**
 * A HEAD request before paying for a prediction: refuses a source image that is gone, too large or
 * not an image. Best effort: when the HEAD itself fails the provider's own fetch decides.
 */
export async function probeSourceImage(url: string, options: ProbeOptions): Promise<void> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5000);
  let response: Response;
  try {
    response = await options.fetch(url, { method: 'HEAD', signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
  } catch {
    return;
  }
  const refuse = (detail: string, memberMessage: string) =>
    providerFailure('source_image', {
      detail: `source image of job ${options.jobId} ${detail}`,
      memberMessage: `${memberMessage} Your credits were refunded.`,
    });
  if ([401, 403, 404, 410].includes(response.status)) {
    throw refuse(`answered HTTP ${response.status}`, 'The source image could not be fetched; it may have been deleted.');
  }
  if (!response.ok) return;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (length > options.maxBytes) {
    throw refuse(`is ${length} bytes, over ${options.maxBytes}`, `The source image is too large (the limit is ${formatMiB(options.maxBytes)}).`);
  }
  const type = response.headers.get('content-type');
  if (type !== null && !type.toLowerCase().startsWith('image/')) {
    throw refuse(`is ${type}, not an image`, 'The source image is not an image file.');
  }
}

function formatMiB(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return `${Number.isInteger(mib) ? mib : mib.toFixed(2)} MiB`;
}
