import { ProviderError, type ProviderFailureReason } from '../use-cases/ports/image-provider.js';

/** What a member reads for each reason: plain words, no provider jargon. */
const memberMessages: Record<ProviderFailureReason, string> = {
  rate_limited: 'The image service is busy right now. Your image will be retried shortly.',
  server_error: 'The image service had a temporary problem. Your image will be retried shortly.',
  timeout: 'The image service is taking too long. Your image will be retried shortly.',
  network: 'The image service could not be reached. Your image will be retried shortly.',
  invalid_input: 'The image service refused these settings. Your credits were refunded.',
  safety: "The image was blocked by the provider's safety filter. Your credits were refunded.",
  model_error: 'The model failed to make your image. Your credits were refunded.',
  canceled: 'The generation was canceled at the image service. Your credits were refunded.',
  aborted: 'The image service stopped the generation before it finished. Your credits were refunded.',
  source_image: 'The source image must be an image uploaded to Discord. Your credits were refunded.',
};

export interface FailureDetails {
  /** For logs: what failed and with which input. */
  readonly detail: string;
  readonly cause?: unknown;
  readonly retryAfterMs?: number;
  /** Replaces the reason's default member message when the member can act on something specific. */
  readonly memberMessage?: string;
}

/** A ProviderError with the standard member message for its reason. */
export function providerFailure(reason: ProviderFailureReason, details: FailureDetails): ProviderError {
  const { memberMessage, ...options } = details;
  return new ProviderError(reason, memberMessage ?? memberMessages[reason], options);
}
