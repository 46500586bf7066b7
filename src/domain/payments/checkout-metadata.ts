// What a card checkout carries from the click that made it to the webhook that pays it: who buys,
// in which guild, which pack and how many credits were shown. Stripe stores it on the session as
// string metadata and signs it back to us, so it is trusted only after the signature check.
import type { Pack } from '../pricing/price-card-schema.js';
import { err, ok, type Result } from '../result.js';

export interface CheckoutMetadata {
  readonly userId: string;
  readonly guildId: string;
  readonly packId: string;
  /** The credits the checkout page promised; granted only while they are still the pack's. */
  readonly credits: number;
}

export type CheckoutMetadataProblem = { readonly code: 'missing_metadata'; readonly field: keyof CheckoutMetadata };

const snowflake = /^\d{17,20}$/;

export const checkoutMetadata = (input: { userId: string; guildId: string; pack: Pack }): Record<string, string> => ({
  userId: input.userId,
  guildId: input.guildId,
  packId: input.pack.id,
  credits: String(input.pack.credits),
});

export function parseCheckoutMetadata(metadata: Readonly<Record<string, string>>): Result<CheckoutMetadata, CheckoutMetadataProblem> {
  const { userId, guildId, packId, credits } = metadata;
  if (!userId || !snowflake.test(userId)) return err({ code: 'missing_metadata', field: 'userId' });
  if (!guildId || !snowflake.test(guildId)) return err({ code: 'missing_metadata', field: 'guildId' });
  if (!packId) return err({ code: 'missing_metadata', field: 'packId' });
  const amount = Number(credits);
  if (!credits || !Number.isSafeInteger(amount) || amount <= 0) return err({ code: 'missing_metadata', field: 'credits' });
  return ok({ userId, guildId, packId, credits: amount });
}

/** A pack's price in cents; the card allows whole cents only, so rounding only removes float noise. */
export const priceInCents = (pack: Pack): number => Math.round(pack.priceUsd * 100);
