import type { GenerationRequest } from '../use-cases/ports/image-provider.js';
import { providerFailure } from './provider-failure.js';

/** Where source images may come from: Discord's CDN, so we never make a provider fetch arbitrary URLs. */
export interface SourceImagePolicy {
  /** Exact host names. @defaultValue {@link DISCORD_CDN_HOSTS} */
  readonly hosts?: readonly string[];
  /** URL schemes with their colon. @defaultValue `['https:']` (tests may add `'http:'`) */
  readonly protocols?: readonly string[];
}

export const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;

/**
 * The request's source image URL when its operation needs one, after checking scheme and host;
 * `undefined` for txt2img (which ignores any source image).
 */
export function checkSourceImageUrl(request: GenerationRequest, policy: SourceImagePolicy = {}): string | undefined {
  if (request.operation === 'txt2img') return undefined;
  const raw = request.sourceImageUrl;
  if (raw === undefined) {
    throw providerFailure('source_image', {
      detail: `${request.operation} needs a source image and none was given (job ${request.jobId})`,
      memberMessage: 'This needs a source image, and none was given. Your credits were refunded.',
    });
  }
  return checkImageUrl(raw, 'source image', request.jobId, policy);
}

/** The uploaded mask of a Vary (Region) job, checked as a source image is; undefined for any other job. */
export function checkMaskUrl(request: GenerationRequest, policy: SourceImagePolicy = {}): string | undefined {
  return request.edit?.kind === 'mask' ? checkImageUrl(request.edit.maskUrl, 'mask', request.jobId, policy) : undefined;
}

/** `raw` when it is on an allowed host with an allowed scheme; a permanent failure otherwise. */
function checkImageUrl(raw: string, what: string, jobId: string, policy: SourceImagePolicy): string {
  const hosts = policy.hosts ?? DISCORD_CDN_HOSTS;
  const protocols = policy.protocols ?? ['https:'];
  const url = URL.canParse(raw) ? new URL(raw) : null;
  const refusal =
    url === null
      ? 'is not a URL'
      : !protocols.includes(url.protocol)
        ? `uses ${url.protocol} (allowed: ${protocols.join(', ')})`
        : !hosts.includes(url.hostname.toLowerCase())
          ? `is on ${url.hostname} (allowed: ${hosts.join(', ')})`
          : url.username !== '' || url.password !== ''
            ? 'carries credentials'
            : null;
  if (refusal !== null) {
    throw providerFailure('source_image', { detail: `${what} ${JSON.stringify(raw.slice(0, 200))} ${refusal} (job ${jobId})` });
  }
  return raw;
}
