import type { LedgerError } from '../domain/credits/ledger-errors.js';
import { allowsNsfwIn, channelAllowed, freeDailyOf, type GuildConfig } from '../domain/guild-config.js';
import { checkPrompt, type ModerationVerdict } from '../domain/moderation.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { quote, type Quote } from '../domain/pricing/quote.js';
import type { QuoteRejection } from '../domain/pricing/quote-rejection.js';
import { parseSize } from '../domain/pricing/sizes.js';
import { err, ok, type Result } from '../domain/result.js';
import { defaultModelFor } from '../domain/tiers.js';
import { grantMemberAllowances } from './grant-member-allowances.js';
import type { JobStore } from './ports/job-store.js';
import type { Ledger } from './ports/ledger.js';

export interface QuoteGenerationOptions {
  readonly ledger: Ledger;
  readonly jobs: JobStore;
  readonly card: PriceCard;
  readonly now: Date;
  readonly member: {
    readonly userId: string; readonly guildId: string; readonly channelId: string; readonly roleIds: Iterable<string>;
    /** The channel's parent when it is a thread: a thread under an allowed channel is allowed. */
    readonly parentChannelId?: string | null | undefined;
    /** Discord marks the channel age-restricted (its `nsfw` flag). */
    readonly channelAgeRestricted?: boolean | undefined;
  };
  readonly roleTiers: ReadonlyMap<string, string>;
  /** The guild's `/admin config`: moderation, allowed channels, free daily amount, job limit, NSFW, spoilers. */
  readonly guildConfig: GuildConfig;
  /** The operator's banned words (BANNED_WORDS), refused in every guild. */
  readonly operatorBannedWords?: readonly string[];
  readonly request: {
    readonly prompt: string;
    readonly model?: string | undefined;
    readonly size?: string | undefined;
    readonly steps?: number | undefined;
    readonly count?: number | undefined;
    readonly seed?: number | undefined;
    readonly negativePrompt?: string | undefined;
  };
  readonly randomSeed: () => number;
  /** How long the member may press Generate. @defaultValue 10 minutes */
  readonly quoteTtlMs?: number;
}

export interface QuotedGeneration {
  readonly quoteId: string;
  readonly quote: Quote;
  readonly seed: number;
  readonly available: number;
  readonly expiresAt: Date;
}

export type QuoteGenerationError =
  | { readonly code: 'rejected'; readonly rejection: QuoteRejection }
  | { readonly code: 'moderated'; readonly verdict: ModerationVerdict }
  | { readonly code: 'channel_not_allowed'; readonly allowedChannelIds: readonly string[] }
  | LedgerError;

/**
 * Prices what the member asked for at their tier (granting today's free credits and the tier's
 * allowance first, lazily) and stores the quote for them to confirm. Nothing is held yet.
 * The guild's channel restriction and moderation come first: a refused prompt moves no credit
 * (not even today's free grant) and leaves no quote.
 */
export async function quoteGeneration(options: QuoteGenerationOptions): Promise<Result<QuotedGeneration, QuoteGenerationError>> {
  const { card, member, request, guildConfig } = options;
  if (!channelAllowed(guildConfig, member.channelId, member.parentChannelId)) {
    return err({ code: 'channel_not_allowed', allowedChannelIds: guildConfig.allowedChannelIds });
  }
  const verdict = checkPrompt(request, {
    guildWords: guildConfig.bannedWords, guildPatterns: guildConfig.bannedPatterns, operatorWords: options.operatorBannedWords ?? [],
  });
  if (verdict !== null) return err({ code: 'moderated', verdict });
  const allowances = await grantMemberAllowances({
    ledger: options.ledger, card, now: options.now, userId: member.userId, guildId: member.guildId, roleIds: member.roleIds, roleTiers: options.roleTiers,
    ...freeDailyOf(guildConfig),
  });
  if (!allowances.ok) return allowances;
  const { tier } = allowances.value;
  const model = request.model?.trim().toLowerCase() || defaultModelFor(card, tier) || '';
  const priced = quote(card, {
    model, operation: 'txt2img',
    ...(request.size ? { size: request.size.trim() } : {}),
    ...(request.steps !== undefined ? { steps: request.steps } : {}),
    ...(request.count !== undefined ? { count: request.count } : {}),
  }, tier);
  if (!priced.ok) return err({ code: 'rejected', rejection: priced.error });
  const size = parseSize(priced.value.size)!;
  const seed = request.seed ?? options.randomSeed();
  const expiresAt = new Date(options.now.getTime() + (options.quoteTtlMs ?? 10 * 60_000));
  const quoteId = await options.jobs.createQuote({
    userId: member.userId, guildId: member.guildId, channelId: member.channelId,
    request: {
      model: priced.value.model, providerModelId: priced.value.providerModelId, operation: 'txt2img',
      prompt: request.prompt, ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
      width: size.width, height: size.height, steps: priced.value.steps, count: priced.value.count, seed,
      ...(allowsNsfwIn(guildConfig, member.channelAgeRestricted === true) ? { allowNsfw: true as const } : {}),
      ...(guildConfig.spoilerResults ? { spoiler: true as const } : {}),
      ...(guildConfig.maxRunningJobsPerMember === null ? {} : { maxRunningJobsPerMember: guildConfig.maxRunningJobsPerMember }),
    },
    breakdown: priced.value.breakdown, price: priced.value.total, tierName: tier.name, expiresAt,
  });
  const balance = await options.ledger.balance(member.userId, member.guildId);
  return ok({ quoteId, quote: priced.value, seed, available: balance.available, expiresAt });
}
