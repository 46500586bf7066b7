import type { PlanInterval } from '../domain/pricing/card-terms.js';
import type { MemberSubscription } from '../domain/subscriptions/tier-sources.js';

/** One live subscription as ledger_member_subscriptions builds it (jsonb: timestamps are strings). */
export interface SubscriptionJson {
  readonly id: string;
  readonly source: 'discord' | 'stripe';
  readonly scope: 'user' | 'guild';
  readonly tier: string;
  readonly renewal_tier: string | null;
  readonly interval: PlanInterval;
  readonly period_end: string;
  readonly status: 'active' | 'ending';
}

export const toMemberSubscription = (row: SubscriptionJson): MemberSubscription => ({
  id: row.id,
  source: row.source,
  scope: row.scope,
  tierName: row.tier,
  renewalTierName: row.renewal_tier,
  interval: row.interval,
  periodEnd: new Date(row.period_end),
  status: row.status,
});
