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

/** The pictures of an edit as the model reads them: data URLs (Replicate takes them for file inputs). */
export interface EditFiles {
  /** The source on the canvas: its size is the canvas size. */
  readonly image: string;
  /** Same size; white where the model paints, black where the canvas is kept. */
  readonly mask: string;
}

/**
 * Zoom Out, Pan and Vary (Region) for FLUX.1 Fill [dev] (black-forest-labs/flux-fill-dev): image,
 * mask and prompt, with `megapixels: match_input` so the output keeps the canvas size (the model
 * scales a canvas over 1440×1440 down to fit). flux-fill-pro takes image, mask and prompt too but
 * names its steps `steps` and makes one image per prediction: adapt this before switching to it.
 */
export function toReplicateEditInput(request: GenerationRequest, files: EditFiles): ReplicateInput {
  return {
    prompt: request.prompt,
    image: files.image,
    mask: files.mask,
    num_outputs: request.count,
    num_inference_steps: request.steps,
    seed: request.seed,
    megapixels: 'match_input',
    output_format: 'png',
    ...(request.allowNsfw ? { disable_safety_checker: true } : {}),
  };
}

/** Input equality that ignores key order (the API may echo keys in another order). */
export function sameInput(a: unknown, b: ReplicateInput): boolean {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return false;
  const entries = Object.entries(a as Record<string, unknown>);
  return entries.length === Object.keys(b).length && entries.every(([key, value]) => b[key] === value);
}
