import { describe, expect, it } from 'vitest';
import { jobRequestSchema } from '../../../../src/domain/jobs/job-request.js';
import { aJobRequest } from '../../../factories/generation-request.js';

const source = { sourceImage: { channelId: 'c', messageId: 'm', attachmentIndex: 0 } };
const zoom = { kind: 'zoom', factor: 2, sourceWidth: 1024, sourceHeight: 1024 } as const;

describe('job request: an edit', () => {
  it('is stored with its operation, a source and the canvas its plan makes', () => {
    expect(jobRequestSchema.safeParse(aJobRequest({ operation: 'outpaint', width: 2048, height: 2048, edit: zoom, ...source })).success).toBe(true);
  });

  it.each([
    ['another operation', { operation: 'inpaint', width: 2048, height: 2048, edit: zoom, ...source }],
    ['another size than its canvas', { operation: 'outpaint', width: 1024, height: 1024, edit: zoom, ...source }],
    ['no source image', { operation: 'outpaint', width: 2048, height: 2048, edit: zoom }],
    ['a zoom out of range', { operation: 'outpaint', width: 2048, height: 2048, edit: { ...zoom, factor: 100 }, ...source }],
  ] as const)('is refused with %s', (_, overrides) => {
    expect(jobRequestSchema.safeParse(aJobRequest(overrides as never)).success).toBe(false);
  });
});
