import type { LedgerError } from '../domain/credits/ledger-errors.js';
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import { quote, type Quote } from '../domain/pricing/quote.js';
import type { QuoteRejection } from '../domain/pricing/quote-rejection.js';
import { parseSize } from '../domain/pricing/sizes.js';
import { err, ok, type Result } from '../domain/result.js';
import { applyMemberDefaults, defaultMemberSettings, type MemberSettings } from '../domain/settings/member-settings.js';
import { grantMemberAllowances } from './grant-member-allowances.js';
import type { JobStore } from './ports/job-store.js';
import type { Ledger } from './ports/ledger.js';

export interface QuoteGenerationOptions {
  readonly ledger: Ledger;
  readonly jobs: JobStore;
  readonly card: PriceCard;
  readonly now: Date;
  readonly member: { readonly userId: string; readonly guildId: string; readonly channelId: string; readonly roleIds: Iterable<string> };
  readonly roleTiers: ReadonlyMap<string, string>;
  readonly request: {
    readonly prompt: string;
    readonly model?: string | undefined;
    readonly size?: string | undefined;
    readonly steps?: number | undefined;
    readonly count?: number | undefined;
    readonly seed?: number | undefined;
    readonly negativePrompt?: string | undefined;
    /** A /batch: one prompt per image; the count is their number and `prompt` their summary. */
    readonly prompts?: readonly string[] | undefined;
  };
  /** The member's /settings: default model and size when the request names none. */
  readonly memberDefaults?: MemberSettings;
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

export type QuoteGenerationError = { readonly code: 'rejected'; readonly rejection: QuoteRejection } | LedgerError;

/**
 * Prices what the member asked for at their tier (granting today's free credits and the tier's
 * allowance first, lazily) and stores the quote for them to confirm. Nothing is held yet.
 */
export async function quoteGeneration(options: QuoteGenerationOptions): Promise<Result<QuotedGeneration, QuoteGenerationError>> {
  const { card, member, request } = options;
  const allowances = await grantMemberAllowances({
    ledger: options.ledger, card, now: options.now, userId: member.userId, guildId: member.guildId, roleIds: member.roleIds, roleTiers: options.roleTiers,
  });
  if (!allowances.ok) return allowances;
  const { tier } = allowances.value;
  const { model, size: askedSize } = applyMemberDefaults(card, tier, request, options.memberDefaults ?? defaultMemberSettings);
  const count = request.prompts?.length ?? request.count;
  const priced = quote(card, {
    model, operation: 'txt2img',
    ...(askedSize ? { size: askedSize } : {}),
    ...(request.steps !== undefined ? { steps: request.steps } : {}),
    ...(count !== undefined ? { count } : {}),
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
      ...(request.prompts ? { prompts: [...request.prompts] } : {}),
    },
    breakdown: priced.value.breakdown, price: priced.value.total, tierName: tier.name, expiresAt,
  });
  const balance = await options.ledger.balance(member.userId, member.guildId);
  return ok({ quoteId, quote: priced.value, seed, available: balance.available, expiresAt });
}
