import type { MemberSettings } from '../domain/settings/member-settings.js';
import type { Ledger } from './ports/ledger.js';

/**
 * After a confirmation: the member's available credits when they fell under the member's own
 * warning threshold (set in /settings; 0 = off), else null.
 */
export async function lowBalanceWarning(options: {
  readonly ledger: Ledger;
  readonly settings: MemberSettings;
  readonly userId: string;
  readonly guildId: string;
}): Promise<number | null> {
  const threshold = options.settings.lowBalanceWarningAt;
  if (threshold <= 0) return null;
  const { available } = await options.ledger.balance(options.userId, options.guildId);
  return available < threshold ? available : null;
}

/** Auto-confirm applies to quotes priced at most the member's threshold; 0 turns it off. */
export const shouldAutoConfirm = (settings: MemberSettings, price: number): boolean =>
  settings.autoConfirmMaxCredits > 0 && price <= settings.autoConfirmMaxCredits;
