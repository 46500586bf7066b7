import type { GenerationRequest } from '../../use-cases/ports/image-provider.js';

export type ReplicateInput = Readonly<Record<string, string | number | boolean>>;

/**
 * Our request as model input, in the names Stable Diffusion-style models on Replicate use.
 * The one place to adapt when a model names its inputs differently.
 *
 * A batch is one prediction with `num_outputs: count`; a model without `num_outputs` would need
 * `count` predictions (each with its own stored id), which this provider does not do.
 * Upscalers (Real-ESRGAN style) take only the image and a scale.
 */
export function toReplicateInput(request: GenerationRequest, sourceImageUrl: string | undefined): ReplicateInput {
  const image = sourceImageUrl === undefined ? {} : { image: sourceImageUrl };
  if (request.operation === 'upscale') return { ...image, scale: 2 };
  return {
    prompt: request.prompt,
    ...(request.negativePrompt ? { negative_prompt: request.negativePrompt } : {}),
    width: request.width,
    height: request.height,
    num_inference_steps: request.steps,
    seed: request.seed,
    num_outputs: request.count,
    // Only when the guild allows it and the job came from an age-restricted channel; otherwise
    // the model's own default (checker on) applies.
    ...(request.allowNsfw ? { disable_safety_checker: true } : {}),
    ...image,
  };
}

/** Input equality that ignores key order (the API may echo keys in another order). */
export function sameInput(a: unknown, b: ReplicateInput): boolean {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return false;
  const entries = Object.entries(a as Record<string, unknown>);
  return entries.length === Object.keys(b).length && entries.every(([key, value]) => b[key] === value);
}
