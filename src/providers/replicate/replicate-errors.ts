import type { ProviderError } from '../../use-cases/ports/image-provider.js';
import { providerFailure } from '../provider-failure.js';

/** Which call failed: a refused create means nothing was made; a refused read does not. */
export type ReplicateCall = 'create' | 'get' | 'list';

/** A failed API call as a ProviderError: 429 and 5xx and lost connections are transient, other 4xx are not. */
export function fromReplicateError(error: unknown, call: ReplicateCall, jobId: string): ProviderError {
  const where = `replicate ${call} for job ${jobId}`;
  if (isAbort(error)) return providerFailure('timeout', { detail: `${where}: stopped waiting`, cause: error });
  const response = apiErrorResponse(error);
  if (!response) return providerFailure('network', { detail: `${where}: ${describe(error)}`, cause: error });
  const detail = `${where}: ${describe(error)}`;
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return providerFailure('rate_limited', { detail, cause: error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (response.status >= 500) return providerFailure('server_error', { detail, cause: error });
  // 401/403 (a bad token) land here too: no retry can fix them, and the detail says which it was.
  return providerFailure('invalid_input', { detail, cause: error });
}

/** A prediction that ended `failed`: the provider's safety filter, input the model refused, or the model itself. */
export function fromFailedPrediction(predictionError: unknown, predictionId: string): ProviderError {
  const text = typeof predictionError === 'string' ? predictionError : (JSON.stringify(predictionError) ?? 'no error given');
  const detail = `prediction ${predictionId} failed: ${text.slice(0, 500)}`;
  if (/nsfw|safety|unsafe content|sensitive content/i.test(text)) return providerFailure('safety', { detail });
  if (/invalid input|input validation|validation error|is not a valid|must be (?:less|greater|one of|at)/i.test(text)) {
    return providerFailure('invalid_input', { detail });
  }
  return providerFailure('model_error', { detail });
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** replicate@1.4.0 throws `ApiError` (not exported at run time) carrying the Response. */
function apiErrorResponse(error: unknown): Response | null {
  if (error instanceof Error && error.name === 'ApiError' && 'response' in error && error.response instanceof Response) {
    return error.response;
  }
  return null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
