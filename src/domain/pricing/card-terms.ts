/** The fixed vocabulary of a price card; everything else on it is the operator's choice. */
/** inpaint repaints a region of an image, outpaint draws new pixels around or beside it (src/domain/edits/). */
export const OPERATIONS = ['txt2img', 'img2img', 'upscale', 'variation', 'inpaint', 'outpaint'] as const;
export const TIER_PERIODS = ['daily', 'weekly', 'monthly'] as const;
/** How often a sold plan renews (and is paid for); its credits are the tier's allowance for that long. */
export const PLAN_INTERVALS = ['week', 'month', 'year'] as const;
/** Named queue levels, lowest first; the queue adapter maps them to BullMQ priorities. */
export const QUEUE_PRIORITIES = ['standard', 'priority', 'fastest', 'instant'] as const;
/**
 * How fast a job runs, and at what price factor: Relax waits behind every paying job (and behind
 * lighter Relax users) for little or nothing, Fast is the standard price, Turbo jumps ahead.
 */
export const LANES = ['relax', 'fast', 'turbo'] as const;
/** The tier of members without any tier role; every card must define it, first. */
export const NO_TIER = 'none';

export type Operation = (typeof OPERATIONS)[number];
export type TierPeriod = (typeof TIER_PERIODS)[number];
export type PlanInterval = (typeof PLAN_INTERVALS)[number];
export type QueuePriority = (typeof QUEUE_PRIORITIES)[number];
export type Lane = (typeof LANES)[number];
