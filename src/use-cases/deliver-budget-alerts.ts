// Delivers the budget alerts confirm_quote wrote (one row per server, month and threshold): each
// claimed with a lease so two bots never send one at once, marked sent once Discord took it, and
// left for a later round when delivery failed (retried, never dropped).
import { errorMessage } from '../shared/error-message.js';
import type { Logger } from '../shared/logger.js';
import type { BudgetAlertNotifier, BudgetAlertOutbox, SpendingLimits } from './ports/spending-limits.js';

export interface DeliverBudgetAlertsOptions {
  readonly outbox: BudgetAlertOutbox;
  readonly notifier: BudgetAlertNotifier;
  readonly spendingLimits: Pick<SpendingLimits, 'alertChannel'>;
  readonly log?: Logger | undefined;
  /** How long a claimed alert is this bot's; a failed one is retried after it. @defaultValue 60 s */
  readonly leaseMs?: number | undefined;
}

/** Attempts at the admins' channel before an alert goes to the server's owner by DM. */
export const channelAttempts = 3;

/** One round: returns how many alerts were delivered. */
export async function deliverBudgetAlerts(options: DeliverBudgetAlertsOptions): Promise<number> {
  const due = await options.outbox.claimDue(20, options.leaseMs ?? 60_000);
  let sent = 0;
  for (const alert of due) {
    try {
      // A channel that keeps refusing (the bot lost its permissions there) must not swallow the
      // alert: after a few attempts it goes to the server's owner by DM instead.
      const channelId = alert.attempts > channelAttempts ? null : await options.spendingLimits.alertChannel(alert.guildId);
      await options.notifier.send(alert, channelId);
      await options.outbox.markSent(alert);
      sent += 1;
    } catch (error) {
      options.log?.warn(
        { guildId: alert.guildId, threshold: alert.threshold, attempts: alert.attempts, err: errorMessage(error) },
        'budget alert not delivered; will retry',
      );
      await options.outbox.markFailed(alert, errorMessage(error)).catch(() => undefined);
    }
  }
  return sent;
}

/** Runs a round every `everyMs` (never two at once) until stopped. */
export function startBudgetAlertDelivery(options: DeliverBudgetAlertsOptions & { readonly everyMs?: number }): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => deliverBudgetAlerts(options))
      .catch((error: unknown) => options.log?.warn({ err: errorMessage(error) }, 'delivering budget alerts failed; will retry'));
  }, options.everyMs ?? 10_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
