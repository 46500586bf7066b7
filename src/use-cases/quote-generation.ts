import type { LedgerError } from '../domain/credits/ledger-errors.js';
import type { EditPlan } from '../domain/edits/edit-geometry.js';
import type { ImageEdit } from '../domain/edits/image-edit.js';
import type { JobRequest } from '../domain/jobs/job-request.js';
import type { Lane, Operation } from '../domain/pricing/card-terms.js';
import { defaultLaneFor, isLane } from '../domain/lanes/lanes.js';
import { rejectUnknownLane } from '../domain/pricing/quote-rejection.js';
import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { allowsNsfwIn, channelAllowed, freeDailyOf } from '../domain/guild-config.js';
import { isBlankPrompt, promptProblem, type PromptProblem } from '../domain/jobs/prompt-problem.js';
import { checkPrompt, type ModerationVerdict } from '../domain/moderation.js';
import { quote, type Quote } from '../domain/pricing/quote.js';
import type { QuoteRejection } from '../domain/pricing/quote-rejection.js';
import { parseSize } from '../domain/pricing/sizes.js';
import { err, ok, type Result } from '../domain/result.js';
import { applyMemberDefaults, type MemberSettings } from '../domain/settings/member-settings.js';
import { estimateProviderUsd } from '../domain/spending/provider-usd.js';
import { defaultModelFor, tierAllowsModel } from '../domain/tiers.js';
import { grantMemberAllowances } from './grant-member-allowances.js';
import type { TierSubscriptions } from './ports/tier-subscriptions.js';
import { decideMemberTier } from '../domain/subscriptions/tier-sources.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { JobStore } from './ports/job-store.js';
import type { Ledger } from './ports/ledger.js';
import type { MemberSettingsStore } from './ports/member-settings.js';

/** The ports and settings a quote is made with; bound once (src/use-cases/bot-use-cases.ts). */
export interface QuoteGenerationDeps {
  readonly ledger: Ledger;
  /** The member's live plans: their tier is the best of roles and plans. */
  readonly tierSubscriptions: Pick<TierSubscriptions, 'live'>;
  readonly jobs: JobStore;
  readonly guildSettings: GuildSettingsStore;
  readonly memberSettings: MemberSettingsStore;
  readonly card: PriceCard;
  readonly now: () => Date;
  readonly randomSeed: () => number;
  /** The operator's banned words (BANNED_WORDS), refused in every guild. @defaultValue none */
  readonly operatorBannedWords?: readonly string[] | undefined;
  /** How long the member may press Generate. @defaultValue 10 minutes */
  readonly quoteTtlMs?: number | undefined;
}

/** Who asks, where: their roles decide the tier, the channel what the guild allows there. */
export interface QuotingMember {
  readonly userId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly roleIds: readonly string[];
  /** The channel's parent when it is a thread: a thread under an allowed channel is allowed. */
  readonly parentChannelId?: string | null | undefined;
  /** Discord marks the channel age-restricted (its `nsfw` flag). */
  readonly channelAgeRestricted?: boolean | undefined;
}

/** What the member asked for; the price card, their tier and their /settings fill in the rest. */
export interface MemberRequest {
  readonly prompt: string;
  readonly model?: string | undefined;
  readonly size?: string | undefined;
  readonly steps?: number | undefined;
  readonly count?: number | undefined;
  readonly seed?: number | undefined;
  readonly negativePrompt?: string | undefined;
  /** A /batch: one prompt per image; the count is their number and `prompt` their summary. */
  readonly prompts?: readonly string[] | undefined;
  /** @defaultValue 'txt2img' */
  readonly operation?: Operation | undefined;
  /** relax | fast | turbo as typed; anything else is refused. @defaultValue the member's /settings lane, else Fast */
  readonly lane?: string | undefined;
  /** With no `model`: used if it can do the operation at the member's tier (variations keep the model). */
  readonly preferredModel?: string | undefined;
  /** img2img: the uploaded image's URL. */
  readonly sourceImageUrl?: string | undefined;
  /** Upscale / variations: the delivered image, found again on Discord when the job runs. */
  readonly sourceImage?: JobRequest['sourceImage'];
  /** Zoom Out, Pan or Vary (Region) of `sourceImage`, with its plan: priced by the pixels it draws. */
  readonly edit?: PlannedEdit | undefined;
}

/** An edit and the plan made from it (src/domain/edits/edit-geometry.ts). */
export interface PlannedEdit {
  readonly edit: ImageEdit;
  readonly plan: EditPlan;
}

export interface QuoteGenerationInput {
  readonly member: QuotingMember;
  readonly request: MemberRequest;
}

export interface QuotedGeneration {
  readonly quoteId: string;
  readonly quote: Quote;
  readonly seed: number;
  readonly available: number;
  readonly expiresAt: Date;
  /** The member's /settings the quote was made with (auto-confirm decides on them). */
  readonly memberSettings: MemberSettings;
}

export type QuoteGenerationError =
  | { readonly code: 'rejected'; readonly rejection: QuoteRejection }
  | { readonly code: 'invalid_prompt'; readonly problem: PromptProblem }
  | { readonly code: 'moderated'; readonly verdict: ModerationVerdict }
  | { readonly code: 'channel_not_allowed'; readonly allowedChannelIds: readonly string[] }
  | LedgerError;

/**
 * Prices what the member asked for at their tier and stores the quote for them to confirm,
 * granting today's free credits and the tier's allowance (lazily) for the balance shown with it.
 * Nothing is held yet. This is the one quote set-up of /imagine, /batch and the buttons on a
 * result: it reads the member's /settings, the guild's role tiers and its config itself. The
 * guild's channel restriction, the prompt itself (not blank, not too long), moderation and the
 * price card's rules come first: a refused request moves no credit (not even today's free grant)
 * and leaves no quote.
 */
export async function quoteGeneration(
  deps: QuoteGenerationDeps,
  { member, request }: QuoteGenerationInput,
): Promise<Result<QuotedGeneration, QuoteGenerationError>> {
  const { card } = deps;
  // Side by side: each is one round trip (or a cache hit), and all four are needed.
  const [memberSettings, roleTiers, guildConfig, subscriptions] = await Promise.all([
    deps.memberSettings.get(member.userId, member.guildId),
    deps.guildSettings.roleTiers(member.guildId),
    deps.guildSettings.config(member.guildId),
    deps.tierSubscriptions.live(member.userId, member.guildId, deps.now()),
  ]);
  if (!channelAllowed(guildConfig, member.channelId, member.parentChannelId)) {
    return err({ code: 'channel_not_allowed', allowedChannelIds: guildConfig.allowedChannelIds });
  }
  // A negative prompt of only invisible characters is no negative prompt.
  const negativePrompt = request.negativePrompt !== undefined && !isBlankPrompt(request.negativePrompt) ? request.negativePrompt : undefined;
  const texts = { prompt: request.prompt, prompts: request.prompts, negativePrompt };
  const problem = promptProblem(texts);
  if (problem !== null) return err({ code: 'invalid_prompt', problem });
  const verdict = checkPrompt(texts, {
    guildWords: guildConfig.bannedWords,
    guildPatterns: guildConfig.bannedPatterns,
    operatorWords: deps.operatorBannedWords ?? [],
  });
  if (verdict !== null) return err({ code: 'moderated', verdict });
  const { tier } = decideMemberTier(card, { roleIds: member.roleIds, roleTiers, subscriptions });
  const operation = request.operation ?? 'txt2img';
  // Upscales, variations and img2img pick a model that can do the operation; a plain image falls
  // back to the member's /settings defaults.
  const { model, size: askedSize } =
    operation === 'txt2img' && request.preferredModel === undefined
      ? applyMemberDefaults(card, tier, request, memberSettings)
      : {
          model: request.model?.trim().toLowerCase() || preferredModel(card, tier, operation, request.preferredModel) || '',
          size: request.size?.trim() || undefined,
        };
  const count = request.prompts?.length ?? request.count;
  const lane = chooseLane(tier, request.lane, memberSettings.defaultLane);
  if (!lane.ok) return lane;
  const priced = quote(
    card,
    {
      model,
      operation,
      lane: lane.value,
      ...(askedSize ? { size: askedSize } : {}),
      ...(request.steps !== undefined ? { steps: request.steps } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(request.edit ? { edit: { canvas: request.edit.plan.canvas, pricedPixels: request.edit.plan.pricedPixels } } : {}),
    },
    tier,
  );
  if (!priced.ok) return err({ code: 'rejected', rejection: priced.error });
  const size = parseSize(priced.value.size)!;
  const seed = request.seed ?? deps.randomSeed();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + (deps.quoteTtlMs ?? 10 * 60_000));
  // The quote row does not depend on the member's allowances, only the balance shown with it
  // does: store the quote while today's grants are made and the balance read (one round trip
  // each, side by side). A refused request (above) granted nothing.
  const [quoteId, allowances] = await Promise.all([
    deps.jobs.createQuote({
      userId: member.userId,
      guildId: member.guildId,
      channelId: member.channelId,
      request: {
        model: priced.value.model,
        providerModelId: priced.value.providerModelId,
        operation,
        lane: priced.value.lane,
        prompt: request.prompt,
        ...(negativePrompt ? { negativePrompt } : {}),
        ...(request.sourceImageUrl ? { sourceImageUrl: request.sourceImageUrl } : {}),
        ...(request.sourceImage ? { sourceImage: request.sourceImage } : {}),
        ...(request.edit ? { edit: request.edit.edit } : {}),
        width: size.width,
        height: size.height,
        steps: priced.value.steps,
        count: priced.value.count,
        seed,
        ...(request.prompts ? { prompts: [...request.prompts] } : {}),
        ...(allowsNsfwIn(guildConfig, member.channelAgeRestricted === true) ? { allowNsfw: true as const } : {}),
        ...(guildConfig.spoilerResults ? { spoiler: true as const } : {}),
        ...(guildConfig.maxRunningJobsPerMember === null ? {} : { maxRunningJobsPerMember: guildConfig.maxRunningJobsPerMember }),
      },
      breakdown: priced.value.breakdown,
      price: priced.value.total,
      tierName: tier.name,
      expiresAt,
      // What the work is worth at its list price (1×), which server budgets count even when the
      // member's lane is free; and what it costs the provider, for budgets in dollars.
      listPrice: priced.value.listTotal,
      providerUsd: estimateProviderUsd({
        usdPerImage: card.models[priced.value.model]?.usdPerImage,
        count: priced.value.count,
        listPrice: priced.value.listTotal,
        creditsPerDollar: card.creditsPerDollar,
      }),
    }),
    grantMemberAllowances({
      ledger: deps.ledger,
      card,
      now,
      userId: member.userId,
      guildId: member.guildId,
      roleIds: member.roleIds,
      roleTiers,
      ...freeDailyOf(guildConfig),
    }),
  ]);
  // A quote row left behind here is never shown to anyone: it expires unconfirmed.
  if (!allowances.ok) return allowances;
  return ok({ quoteId, quote: priced.value, seed, available: allowances.value.balance.available, expiresAt, memberSettings });
}

/** The lane the member typed (checked: Discord offers choices, but a client may send anything), else their default. */
function chooseLane(tier: Tier, asked: string | undefined, preferred: Lane | null): Result<Lane, QuoteGenerationError> {
  if (asked === undefined) return ok(defaultLaneFor(tier, preferred));
  const lane = asked.trim().toLowerCase();
  if (isLane(lane)) return ok(lane);
  return err({ code: 'rejected', rejection: rejectUnknownLane(asked) });
}

/**
 * The model when the member named none: the preferred one if the tier may use it for this
 * operation, else the tier's first model that can. When no model of the tier can, the first of
 * the card that can, so the quote says which tier unlocks it.
 */
function preferredModel(card: PriceCard, tier: Tier, operation: Operation, preferred: string | undefined): string | undefined {
  const spec = preferred !== undefined && Object.hasOwn(card.models, preferred) ? card.models[preferred] : undefined;
  if (spec && spec.operations.includes(operation) && tierAllowsModel(tier, spec)) return preferred;
  return defaultModelFor(card, tier, operation) ?? Object.keys(card.models).find((name) => card.models[name]?.operations.includes(operation));
}
