// /admin budget alerts [channel]: where the server's budget alerts go. The bot posts a note there
// first: a channel it cannot post in, or another server's, is refused and nothing changes.
import { err, ok, type Result } from '../domain/result.js';
import type { BudgetAlertNotifier, SpendingLimits } from './ports/spending-limits.js';

export interface SetBudgetAlertChannelInput {
  readonly guildId: string;
  readonly actorId: string;
  /** null: a DM to the server's owner. */
  readonly channelId: string | null;
  readonly reason?: string | undefined;
}

export async function setBudgetAlertChannel(
  deps: { readonly spendingLimits: Pick<SpendingLimits, 'setAlertChannel'>; readonly budgetAlertNotifier: Pick<BudgetAlertNotifier, 'announceAlertChannel'> },
  input: SetBudgetAlertChannelInput,
): Promise<Result<{ readonly channelId: string | null }, { readonly code: 'cannot_post' | 'not_in_guild' }>> {
  if (input.channelId !== null) {
    let announced: 'announced' | 'not_in_guild';
    try {
      announced = await deps.budgetAlertNotifier.announceAlertChannel(input.channelId, input.guildId);
    } catch {
      return err({ code: 'cannot_post' });
    }
    // A server's alerts never go to another server's channel.
    if (announced === 'not_in_guild') return err({ code: 'not_in_guild' });
  }
  await deps.spendingLimits.setAlertChannel(input.guildId, input.channelId, input.actorId, input.reason);
  return ok({ channelId: input.channelId });
}
