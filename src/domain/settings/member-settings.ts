// A member's /settings and the rules for them. Pure: the store and the Discord handler use these.
import { closestKey } from '../pricing/card-issue-messages.js';
import type { PriceCard, Tier } from '../pricing/price-card-schema.js';
import { formatSize, parseAspectRatio, parseSize, resolveSize } from '../pricing/sizes.js';
import { err, ok, type Result } from '../result.js';
import { capProblemText, parseCap } from '../spending/caps.js';
import { defaultModelFor, lowestTierAbove, tierAllowsModel } from '../tiers.js';
import { isLane, laneFactor, lowestTierWithLane, tierLanes } from '../lanes/lanes.js';
import { rejectLane, rejectUnknownLane } from '../pricing/quote-rejection.js';
import type { Lane } from '../pricing/card-terms.js';

export interface MemberSettings {
  /** A model name on the card; null = the first model the member's tier allows. */
  readonly defaultModel: string | null;
  /** "WxH" or "W:H"; null = the model's first size. */
  readonly defaultSize: string | null;
  /** Quotes priced at most this are confirmed at once; 0 = always show the quote. */
  readonly autoConfirmMaxCredits: number;
  /** Warn after a confirmation when fewer credits than this are left; 0 = never. */
  readonly lowBalanceWarningAt: number;
  /** The speed lane /imagine uses when none is named; null = Fast where the tier offers it. */
  readonly defaultLane: Lane | null;
  /** The most credits the member lets themself spend in this server per UTC day / month (enforced at confirm); null = no cap. */
  readonly dailyCap: number | null;
  readonly monthlyCap: number | null;
}

/** Everything off: what a member who never ran /settings gets. */
export const defaultMemberSettings: MemberSettings = {
  defaultModel: null,
  defaultSize: null,
  autoConfirmMaxCredits: 0,
  lowBalanceWarningAt: 0,
  defaultLane: null,
  dailyCap: null,
  monthlyCap: null,
};

/**
 * Upper bounds that keep a typo from doing harm: an auto-confirm of 1000 credits is $10 at the
 * default rate, far above any single quote a member would want to skip. (The table's CHECKs
 * repeat them.)
 */
export const MAX_AUTO_CONFIRM_CREDITS = 1000;
export const MAX_LOW_BALANCE_WARNING = 100_000;

export type SettingsChange = { -readonly [K in keyof MemberSettings]?: MemberSettings[K] };

/** What the member typed in /settings; undefined = not given. */
export interface SettingsInput {
  readonly model?: string | undefined;
  readonly size?: string | undefined;
  readonly autoConfirm?: number | undefined;
  readonly lowBalanceWarning?: number | undefined;
  /** relax | fast | turbo (Discord offers them as choices; anything else is refused). */
  readonly lane?: string | undefined;
  /** A cap as typed: credits, or "off". */
  readonly dailyCap?: string | undefined;
  readonly monthlyCap?: string | undefined;
}

/**
 * Checks a /settings change against the card and the member's tier and returns what to store,
 * or one sentence saying what is wrong (and how to fix it). Nothing partial: one bad field
 * refuses the whole change.
 */
export function validateSettingsChange(card: PriceCard, tier: Tier, current: MemberSettings, input: SettingsInput): Result<SettingsChange, string> {
  const change: SettingsChange = {};
  if (input.model !== undefined) {
    const model = input.model.trim().toLowerCase();
    const problem = modelProblem(card, tier, model);
    if (problem) return err(problem);
    change.defaultModel = model;
  }
  if (input.size !== undefined) {
    const model = change.defaultModel ?? usableDefaultModel(card, tier, current.defaultModel) ?? defaultModelFor(card, tier);
    const spec = model ? card.models[model] : undefined;
    const size = normalizeSize(input.size);
    if (!spec || !size || !resolveSize(size, spec.sizes)) {
      const allowed = spec ? ` ${spec.label} (${model}) offers ${spec.sizes.join(', ')}, or an aspect ratio like 16:9.` : '';
      return err(`"${input.size.trim()}" is not a size your default model offers.${allowed}`);
    }
    change.defaultSize = size;
  }
  if (input.autoConfirm !== undefined) {
    if (!inRange(input.autoConfirm, MAX_AUTO_CONFIRM_CREDITS)) {
      return err(`Auto-confirm must be a whole number of credits from 0 (off) to ${MAX_AUTO_CONFIRM_CREDITS} (you gave ${input.autoConfirm}).`);
    }
    change.autoConfirmMaxCredits = input.autoConfirm;
  }
  if (input.lowBalanceWarning !== undefined) {
    if (!inRange(input.lowBalanceWarning, MAX_LOW_BALANCE_WARNING)) {
      return err(`The low-balance warning must be a whole number of credits from 0 (off) to ${MAX_LOW_BALANCE_WARNING} (you gave ${input.lowBalanceWarning}).`);
    }
    change.lowBalanceWarningAt = input.lowBalanceWarning;
  }
  if (input.lane !== undefined) {
    // The same refusals, in the same words, as a lane typed in /imagine.
    const lane = input.lane.trim().toLowerCase();
    if (!isLane(lane)) return err(rejectUnknownLane(input.lane).message);
    if (laneFactor(tier, lane) === undefined) return err(rejectLane(lane, tier, tierLanes(tier), lowestTierWithLane(card, tier, lane)).message);
    change.defaultLane = lane;
  }
  for (const [field, key, label] of [
    ['dailyCap', 'dailyCap', 'The daily cap'],
    ['monthlyCap', 'monthlyCap', 'The monthly cap'],
  ] as const) {
    const typed = input[field];
    if (typed === undefined) continue;
    const cap = parseCap(typed);
    if (!cap.ok) return err(capProblemText(label, cap.problem));
    change[key] = cap.value;
  }
  return ok(change);
}

/** Why a member of `tier` cannot make `model` their default; undefined when they can. */
function modelProblem(card: PriceCard, tier: Tier, model: string): string | undefined {
  const names = Object.keys(card.models);
  const spec = Object.hasOwn(card.models, model) ? card.models[model] : undefined;
  if (!spec) {
    const guess = closestKey(model, names);
    return `There is no model called "${model}".${guess ? ` Did you mean ${guess}?` : ''} Models: ${names.join(', ')}.`;
  }
  if (!spec.operations.includes('txt2img')) return `${spec.label} (${model}) does not make images from a prompt, so it cannot be your default.`;
  if (!tierAllowsModel(tier, spec)) {
    const unlockedBy = lowestTierAbove(card, tier, (t) => tierAllowsModel(t, spec));
    return `${spec.label} (${model}) is not included in your tier (${tier.label}).${unlockedBy ? ` The ${unlockedBy.label} tier unlocks it.` : ''}`;
  }
  return undefined;
}

const inRange = (value: number, max: number): boolean => Number.isSafeInteger(value) && value >= 0 && value <= max;

/** "1024 × 1024" → "1024x1024", " 16 : 9 " → "16:9"; undefined when it is neither. */
export function normalizeSize(text: string): string | undefined {
  const size = parseSize(text);
  if (size) return formatSize(size);
  const compact = text.replace(/\s+/g, '');
  return parseAspectRatio(compact) === undefined ? undefined : compact;
}

/** The stored default model if the member's tier may still use it for txt2img, else undefined. */
export function usableDefaultModel(card: PriceCard, tier: Tier, stored: string | null): string | undefined {
  const spec = stored && Object.hasOwn(card.models, stored) ? card.models[stored] : undefined;
  return spec && tierAllowsModel(tier, spec) && spec.operations.includes('txt2img') ? stored! : undefined;
}

/**
 * The model and size a request runs with: what the member typed wins; then their /settings
 * defaults, where still usable (a lost tier role or a card change falls back quietly rather
 * than refusing every /imagine); then the card's defaults.
 */
export function applyMemberDefaults(
  card: PriceCard,
  tier: Tier,
  asked: { readonly model?: string | undefined; readonly size?: string | undefined },
  defaults: MemberSettings,
): { model: string; size: string | undefined } {
  const askedModel = asked.model?.trim().toLowerCase();
  const model = askedModel || usableDefaultModel(card, tier, defaults.defaultModel) || defaultModelFor(card, tier) || '';
  const askedSize = asked.size?.trim();
  if (askedSize) return { model, size: askedSize };
  const spec = Object.hasOwn(card.models, model) ? card.models[model] : undefined;
  const fits = spec && defaults.defaultSize && resolveSize(defaults.defaultSize, spec.sizes);
  return { model, size: fits ? defaults.defaultSize! : undefined };
}
