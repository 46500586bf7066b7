import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { PurchaseNotice } from '../../use-cases/ports/purchase-notifier.js';

/** The DM a member gets when a bought pack lands in their balance. */
export const purchaseMessage = ({ pack, credits }: PurchaseNotice): string =>
  `Thank you! Your payment for **${pack.label ?? pack.id}** (${formatUsd(pack.priceUsd)}) went through: ` +
  `**${credits} credits** are in your balance. Top-up credits never expire, work in every server with this bot, ` +
  'and are spent after your free and tier credits. See /balance.';
