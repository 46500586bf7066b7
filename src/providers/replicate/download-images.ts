import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratedImage } from '../../use-cases/ports/image-provider.js';
import type { FetchLike } from './send-create-once.js';
import { errorMessage } from '../../shared/error-message.js';

export interface DownloadOptions {
  readonly fetch: FetchLike;
  /** Larger files are abandoned mid-download. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** Sends per file for transient failures (5xx, 429, lost connection). @defaultValue 3 */
  readonly attempts?: number;
  /** @defaultValue 250 (doubling) */
  readonly retryDelayMs?: number;
  /** Per send; a stalled download counts as transient. @defaultValue 60 000 */
  readonly timeoutMs?: number;
}

export interface DownloadFailure {
  readonly index: number;
  readonly url: string;
  readonly reason: string;
  /** Worth a later retry of the whole job (the file may still appear). */
  readonly transient: boolean;
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

class FileRefused extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** Downloads every output at once (Replicate deletes them after an hour); failures are reported, not thrown. */
export async function downloadImages(urls: readonly string[], options: DownloadOptions): Promise<{ images: GeneratedImage[]; failures: DownloadFailure[] }> {
  const settled = await Promise.allSettled(urls.map((url) => downloadWithRetries(url, options)));
  const images: GeneratedImage[] = [];
  const failures: DownloadFailure[] = [];
  settled.forEach((outcome, index) => {
    const url = urls[index] ?? '';
    if (outcome.status === 'fulfilled') images.push({ index, ...outcome.value });
    else {
      const error: unknown = outcome.reason;
      const transient = !(error instanceof FileRefused) || error.transient;
      failures.push({ index, url, transient, reason: errorMessage(error) });
    }
  });
  return { images, failures };
}

async function downloadWithRetries(url: string, options: DownloadOptions) {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await downloadOne(url, options);
    } catch (error) {
      const permanent = error instanceof FileRefused && !error.transient;
      if (permanent || attempt >= attempts || options.signal?.aborted) throw error;
      await sleep((options.retryDelayMs ?? 250) * 2 ** (attempt - 1), undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}

async function downloadOne(url: string, options: DownloadOptions): Promise<{ data: Buffer; contentType: ImageType }> {
  const abort = new AbortController();
  const signals = [abort.signal, AbortSignal.timeout(options.timeoutMs ?? 60_000)];
  const signal = AbortSignal.any(options.signal ? [options.signal, ...signals] : signals);
  const response = await options.fetch(url, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    const transient = response.status === 429 || response.status >= 500;
    throw new FileRefused(`HTTP ${response.status}`, transient);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > options.maxBytes) {
    abort.abort();
    throw new FileRefused(`${declared} bytes declared, over the ${options.maxBytes} byte cap`, false);
  }
  const data = await readCapped(response, options.maxBytes, abort);
  const contentType = imageType(response.headers.get('content-type'), data);
  if (!contentType) throw new FileRefused(`not an image (${response.headers.get('content-type') ?? 'no content type'})`, false);
  return { data, contentType };
}

async function readCapped(response: Response, maxBytes: number, abort: AbortController): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      abort.abort();
      throw new FileRefused(`over the ${maxBytes} byte cap`, false);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The declared type when it is one we deliver; otherwise what the bytes say (PNG, JPEG, WebP) when undeclared. */
function imageType(header: string | null, data: Buffer): ImageType | null {
  const declared = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if ((IMAGE_TYPES as readonly string[]).includes(declared)) return declared as ImageType;
  if (declared !== '' && declared !== 'application/octet-stream') return null;
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}
