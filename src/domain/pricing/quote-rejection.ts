import type { Lane, Operation } from './card-terms.js';
import { aspectRatioLabel, parseSize } from './sizes.js';
import { laneLabel } from '../lanes/lanes.js';

type Named = { readonly name: string; readonly label: string };

/** Why a request cannot be quoted; `message` is written for the member who asked. */
export type QuoteRejection = { readonly message: string } & (
  | { readonly code: 'not-a-whole-number'; readonly field: 'steps' | 'count'; readonly value: number }
  | { readonly code: 'unknown-model'; readonly model: string; readonly available: readonly string[] }
  | { readonly code: 'model-not-in-tier'; readonly model: string; readonly tier: string; readonly unlockedBy: string | null }
  | {
      readonly code: 'operation-not-supported';
      readonly model: string;
      readonly operation: Operation;
      readonly supported: readonly Operation[];
    }
  | { readonly code: 'size-not-allowed'; readonly model: string; readonly size: string; readonly allowed: readonly string[] }
  | {
      readonly code: 'steps-out-of-range';
      readonly model: string;
      readonly steps: number;
      readonly max: number;
      readonly tier: string;
      /** Set when the tier's cap, not the model, is the limit: the lowest tier that allows more. */
      readonly unlockedBy: string | null;
    }
  | { readonly code: 'count-out-of-range'; readonly count: number; readonly max: number }
  | { readonly code: 'unknown-lane'; readonly lane: string }
  | { readonly code: 'lane-not-in-tier'; readonly lane: Lane; readonly tier: string; readonly offered: readonly Lane[]; readonly unlockedBy: string | null }
  | {
      readonly code: 'batch-over-tier-limit';
      readonly count: number;
      readonly maxBatch: number;
      readonly tier: string;
      readonly unlockedBy: string | null;
    }
);

export type QuoteRejectionCode = QuoteRejection['code'];

const withAspect = (size: string): string => {
  const parsed = parseSize(size);
  return parsed ? `${size} (${aspectRatioLabel(parsed)})` : size;
};
const modelText = (model: Named): string => `${model.label} (${model.name})`;
const unlockText = (unlockedBy: Named | undefined, what: string): string => (unlockedBy ? ` The ${unlockedBy.label} tier ${what}.` : '');

export const rejectNotWholeNumber = (field: 'steps' | 'count', value: number): QuoteRejection => ({
  code: 'not-a-whole-number',
  field,
  value,
  message: `${field === 'steps' ? 'Steps' : 'Count'} must be a whole number (you asked for ${value}).`,
});

export const rejectUnknownModel = (model: string, available: readonly string[], guess?: string): QuoteRejection => ({
  code: 'unknown-model',
  model,
  available,
  message: `There is no model called "${model}".${guess ? ` Did you mean ${guess}?` : ''} Models: ${available.join(', ')}.`,
});

export const rejectModelNotInTier = (model: Named, tier: Named, unlockedBy: Named | undefined): QuoteRejection => ({
  code: 'model-not-in-tier',
  model: model.name,
  tier: tier.name,
  unlockedBy: unlockedBy?.name ?? null,
  message: `${modelText(model)} is not included in your tier (${tier.label}).${unlockText(unlockedBy, 'unlocks it')}`,
});

export const rejectOperation = (model: Named, operation: Operation, supported: readonly Operation[]): QuoteRejection => ({
  code: 'operation-not-supported',
  model: model.name,
  operation,
  supported,
  message: `${modelText(model)} does not do ${operation}; it does ${supported.join(', ')}.`,
});

export const rejectSize = (model: Named, size: string, allowed: readonly string[]): QuoteRejection => ({
  code: 'size-not-allowed',
  model: model.name,
  size,
  allowed,
  message: `${modelText(model)} does not offer the size "${size}". ` + `Choose one of ${allowed.map(withAspect).join(', ')}, or one of those aspect ratios.`,
});

export function rejectSteps(model: Named, steps: number, max: number, tier: Named, unlockedBy: Named | undefined): QuoteRejection {
  const yourTier = unlockedBy ? ` in your tier (${tier.label})` : '';
  const more = unlockText(unlockedBy, 'allows more');
  return {
    code: 'steps-out-of-range',
    model: model.name,
    steps,
    max,
    tier: tier.name,
    unlockedBy: unlockedBy?.name ?? null,
    message: `Steps for ${modelText(model)} must be from 1 to ${max}${yourTier} (you asked for ${steps}).${more}`,
  };
}

export const rejectCount = (count: number, max: number): QuoteRejection => ({
  code: 'count-out-of-range',
  count,
  max,
  message: `Count must be from 1 to ${max} (you asked for ${count}).`,
});

type Batching = Named & { readonly maxBatch: number };

export const rejectBatch = (count: number, tier: Batching, unlockedBy: Batching | undefined): QuoteRejection => ({
  code: 'batch-over-tier-limit',
  count,
  maxBatch: tier.maxBatch,
  tier: tier.name,
  unlockedBy: unlockedBy?.name ?? null,
  message:
    `Your tier (${tier.label}) allows up to ${tier.maxBatch} image${tier.maxBatch === 1 ? '' : 's'} at once ` +
    `(you asked for ${count}).${unlockText(unlockedBy, `allows ${unlockedBy?.maxBatch ?? 0}`)}`,
});

export const rejectLane = (lane: Lane, tier: Named, offered: readonly { readonly lane: Lane }[], unlockedBy: Named | undefined): QuoteRejection => ({
  code: 'lane-not-in-tier',
  lane,
  tier: tier.name,
  offered: offered.map((o) => o.lane),
  unlockedBy: unlockedBy?.name ?? null,
  message:
    `${laneLabel[lane]} is not part of your tier (${tier.label}); it offers ${offered.map((o) => laneLabel[o.lane]).join(', ')}.` +
    unlockText(unlockedBy, `offers ${laneLabel[lane]}`),
});

export const rejectUnknownLane = (lane: string): QuoteRejection => ({
  code: 'unknown-lane',
  lane,
  message: `"${lane.trim().slice(0, 40)}" is not a speed lane: choose Relax, Fast or Turbo.`,
});
