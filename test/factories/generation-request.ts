import { randomUUID } from 'node:crypto';
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
