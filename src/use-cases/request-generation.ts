import { ok, type Result } from '../domain/result.js';
import { confirmQuote, type Confirmation, type ConfirmedForMember, type ConfirmQuoteDeps, type ConfirmRejection } from './confirm-quote.js';
import { shouldAutoConfirm } from './low-balance-warning.js';
import { quoteGeneration, type QuoteGenerationDeps, type QuoteGenerationError, type QuotedGeneration, type QuoteGenerationInput } from './quote-generation.js';

export type RequestGenerationDeps = QuoteGenerationDeps & ConfirmQuoteDeps;

export interface RequestGenerationInput extends QuoteGenerationInput {
  /** How to tell the member when the quote is confirmed at once (auto-confirm). */
  readonly confirmation: Confirmation;
}

export type RequestedGeneration =
  /** The quote, for the member to confirm or cancel. */
  | { readonly kind: 'quoted'; readonly quoted: QuotedGeneration }
  /** Confirmed at once under the member's auto-confirm threshold; the member has been answered. */
  | { readonly kind: 'auto_confirmed'; readonly quoted: QuotedGeneration; readonly confirmed: ConfirmedForMember }
  /** Within the threshold but refused (short of credits, most likely): the quote stands, its Generate button still works. */
  | { readonly kind: 'not_auto_confirmed'; readonly quoted: QuotedGeneration; readonly rejection: ConfirmRejection };

/**
 * /imagine and /batch: the quote — or, when its price is within the member's auto-confirm
 * threshold (/settings), the confirmation itself, through the same path as the Generate button.
 */
export async function requestGeneration(
  deps: RequestGenerationDeps,
  input: RequestGenerationInput,
): Promise<Result<RequestedGeneration, QuoteGenerationError>> {
  const quoted = await quoteGeneration(deps, input);
  if (!quoted.ok) return quoted;
  const { quoteId, quote, memberSettings } = quoted.value;
  if (!shouldAutoConfirm(memberSettings, quote.total)) return ok({ kind: 'quoted', quoted: quoted.value });
  const confirmed = await confirmQuote(deps, {
    ...input.confirmation,
    quoteId,
    userId: input.member.userId,
    guildId: input.member.guildId,
    queueing: { tierName: quote.tier, lane: quote.lane },
    settings: memberSettings,
    autoConfirmedAtMost: memberSettings.autoConfirmMaxCredits,
  });
  return ok(
    confirmed.ok
      ? { kind: 'auto_confirmed', quoted: quoted.value, confirmed: confirmed.value }
      : { kind: 'not_auto_confirmed', quoted: quoted.value, rejection: confirmed.error },
  );
}
