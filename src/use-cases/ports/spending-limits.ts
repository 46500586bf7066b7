// Server caps and budgets as admins and the operator set them. The checks are not here: they run
// in confirm_quote (src/ledger/sql-job-credits.ts) in the confirming transaction.
import type { BudgetThreshold, BudgetUnit, ServerBudget } from '../../domain/spending/budget.js';
import type { ServerCapRule } from '../../domain/spending/server-caps.js';

export interface CapChange {
  readonly guildId: string;
  readonly kind: 'member' | 'role';
  readonly subjectId: string;
  /** null = no cap for that period; both null removes a role's rule (a member's stays: an exemption). */
  readonly daily: number | null;
  readonly monthly: number | null;
  readonly actorId: string;
  readonly reason?: string | undefined;
}

export interface BudgetChange {
  readonly guildId: string;
  /** null clears the budget. */
  readonly budget: { readonly unit: BudgetUnit; readonly monthly: number } | null;
  readonly actorId: string;
  /** The actor is one of the operator's owners (OWNER_IDS). */
  readonly byOperator: boolean;
  readonly reason?: string | undefined;
}

/** What a server's jobs this month cost the operator, as confirm_quote counts it. */
export interface BudgetSpending {
  readonly budget: ServerBudget;
  readonly spent: number;
}

export interface SpendingLimits {
  /** Every cap rule of the server (for members and roles). */
  serverCapRules(guildId: string): Promise<ServerCapRule[]>;
  /** Sets (or, a role's with both periods null, removes) one rule, audited in the same transaction. */
  setServerCap(change: CapChange): Promise<void>;
  /** Removes a rule (a member then follows their roles' caps), audited; false when there was none. */
  removeServerCap(change: Pick<CapChange, 'guildId' | 'kind' | 'subjectId' | 'actorId' | 'reason'>): Promise<boolean>;
  budget(guildId: string): Promise<ServerBudget | null>;
  /**
   * Sets or clears the budget, audited in the same transaction; 'operator_set' (nothing written)
   * when the operator set the current budget and the actor is not the operator.
   */
  setBudget(change: BudgetChange): Promise<'changed' | 'operator_set'>;
  /** The budget and this UTC month's spending against it; null without a budget. */
  budgetSpending(guildId: string): Promise<BudgetSpending | null>;
  /** What the member's jobs in the server count against caps this UTC day and month (as confirm_quote counts it). */
  memberSpent(userId: string, guildId: string): Promise<{ readonly day: number; readonly month: number }>;
  /** Where the server's admins want budget alerts; null = a DM to the server's owner. */
  alertChannel(guildId: string): Promise<string | null>;
  /** Changes it, audited in the same transaction. */
  setAlertChannel(guildId: string, channelId: string | null, actorId: string, reason?: string): Promise<void>;
}

/** One alert to deliver: the server reached `threshold`% of its budget this month. */
export interface BudgetAlert {
  readonly guildId: string;
  /** The month, as "YYYY-MM". */
  readonly month: string;
  readonly threshold: BudgetThreshold;
  readonly unit: BudgetUnit;
  readonly budget: number;
  readonly spent: number;
  readonly attempts: number;
}

/** The budget-alert outbox: rows written by confirm_quote, delivered by the bot. */
export interface BudgetAlertOutbox {
  /** Up to `limit` undelivered alerts nobody else is delivering, each now held by the caller for `leaseMs`. */
  claimDue(limit: number, leaseMs: number): Promise<BudgetAlert[]>;
  markSent(alert: Pick<BudgetAlert, 'guildId' | 'month' | 'threshold'>): Promise<void>;
  /** Delivery failed: released for a later retry (after the lease) with the error kept. */
  markFailed(alert: Pick<BudgetAlert, 'guildId' | 'month' | 'threshold'>, error: string): Promise<void>;
}

/** Tells a server's admins about its budget, on Discord. */
export interface BudgetAlertNotifier {
  /**
   * Posts the alert in `channelId`, or DMs the server's owner when null. Discord drops a repeat
   * with the same nonce for a while, so a retry after a lost answer does not post it twice.
   */
  send(alert: BudgetAlert, channelId: string | null): Promise<void>;
  /**
   * Posts a short note in the channel (budget alerts will come here) if it is a channel of
   * `guildId`: 'not_in_guild' (nothing posted) when it is another server's; throws when the bot
   * cannot see it or post there.
   */
  announceAlertChannel(channelId: string, guildId: string): Promise<'announced' | 'not_in_guild'>;
}
