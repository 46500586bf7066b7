import { randomInt, randomUUID } from 'node:crypto';
import type { JobRequest } from '../../src/domain/jobs/job-request.js';
import type { GenerationRequest } from '../../src/use-cases/ports/image-provider.js';

/** A valid txt2img request for one image with a fresh job id; override what the test is about. */
export function aGenerationRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    jobId: `job-${randomUUID()}`,
    model: { name: 'sdxl', providerModelId: 'stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc' },
    operation: 'txt2img',
    prompt: 'a lighthouse on a cliff at dusk',
    width: 512,
    height: 512,
    steps: 20,
    count: 1,
    seed: 1234,
    ...overrides,
  };
}

/** A job's stored request: one flux-schnell image of 1024×1024 unless overridden. */
export const aJobRequest = (overrides: Partial<JobRequest> = {}): JobRequest => ({
  model: 'flux-schnell',
  providerModelId: 'black-forest-labs/flux-schnell',
  operation: 'txt2img',
  prompt: 'a lighthouse at dawn',
  width: 1024,
  height: 1024,
  steps: 4,
  count: 1,
  seed: randomInt(1, 1_000_000),
  ...overrides,
});
