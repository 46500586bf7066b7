// Budget-alert delivery with strict fakes: where each alert goes, and what a failure leaves behind.
import { describe, expect, it } from 'vitest';
import { channelAttempts, deliverBudgetAlerts } from '../../../src/use-cases/deliver-budget-alerts.js';
import type { BudgetAlert } from '../../../src/use-cases/ports/spending-limits.js';

const anAlert = (attempts: number): BudgetAlert => ({ guildId: 'g1', month: '2026-12', threshold: 80, unit: 'credits', budget: 100, spent: 80, attempts });

function harness(alerts: BudgetAlert[], fail = false) {
  const log: string[] = [];
  return {
    log,
    run: () =>
      deliverBudgetAlerts({
        outbox: {
          claimDue: async () => alerts,
          markSent: async (alert) => void log.push(`sent:${alert.threshold}`),
          markFailed: async (_alert, error) => void log.push(`failed:${error}`),
        },
        notifier: {
          send: async (_alert, channelId) => {
            log.push(`to:${channelId ?? 'owner-dm'}`);
            if (fail) throw new Error('Missing Access');
          },
          announceAlertChannel: async () => 'announced',
        },
        spendingLimits: { alertChannel: async () => 'alerts-channel' },
      }),
  };
}

describe('deliverBudgetAlerts', () => {
  it('posts in the admins’ channel and marks the alert sent', async () => {
    const h = harness([anAlert(1)]);
    expect(await h.run()).toBe(1);
    expect(h.log).toEqual(['to:alerts-channel', 'sent:80']);
  });

  it('leaves a failed alert unsent with its error, for a later round', async () => {
    const h = harness([anAlert(1)], true);
    expect(await h.run()).toBe(0);
    expect(h.log).toEqual(['to:alerts-channel', 'failed:Missing Access']);
  });

  it(`turns to the server owner by DM after ${channelAttempts} attempts at the channel`, async () => {
    const atLimit = harness([anAlert(channelAttempts)]);
    await atLimit.run();
    expect(atLimit.log[0]).toBe('to:alerts-channel');
    const past = harness([anAlert(channelAttempts + 1)]);
    await past.run();
    expect(past.log).toEqual(['to:owner-dm', 'sent:80']);
  });
});
