// Discord's app subscriptions, as they behave since the entitlement migration of October 2024
// (docs: Monetization → Implementing App Subscriptions; Subscription resource):
// - Subscribing creates a Subscription (status ACTIVE, current_period_start/end) and an
//   APPLICATION_SUBSCRIPTION entitlement (type 8) with starts_at and NO ends_at; a guild
//   subscription's entitlement carries the guild_id. SUBSCRIPTION_CREATE and ENTITLEMENT_CREATE
//   are both sent, in no promised order.
// - A renewal moves the subscription's current period (SUBSCRIPTION_UPDATE); the entitlement
//   does not change.
// - A cancellation sets status ENDING and canceled_at (SUBSCRIPTION_UPDATE); access lasts to
//   the period's end, when the status becomes INACTIVE and the entitlement gets its ends_at
//   (ENTITLEMENT_UPDATE — the only update a subscription entitlement ever gets).
// - A refund deletes the entitlement (ENTITLEMENT_DELETE) and ends the subscription.
// - A plan change: an upgrade changes sku_ids at once; a downgrade waits for the renewal
//   (renewal_sku_ids).
// - GET /skus/:sku/subscriptions needs user_id; GET /applications/:app/entitlements/:id returns one.
import type { Json } from './payloads.js';
import type { RestReply } from './rest-interactions.js';
import { nextSnowflake } from './snowflake.js';

export const SUBSCRIPTION_STATUS = { active: 0, ending: 1, inactive: 2 } as const;
/** SKU type 5 = SUBSCRIPTION; flags: AVAILABLE 1<<2, GUILD_SUBSCRIPTION 1<<7, USER_SUBSCRIPTION 1<<8. */
export const SKU_FLAGS = { available: 1 << 2, guildSubscription: 1 << 7, userSubscription: 1 << 8 } as const;

const WEEK_MS = 7 * 86_400_000;

export interface SubscribeInput {
  readonly userId: string;
  readonly skuId: string;
  /** A guild subscription: every member of this server. */
  readonly guildId?: string;
  readonly startsAt?: Date;
  /** The plan's period. @defaultValue a week */
  readonly periodMs?: number;
  /** false: it happened while no bot was connected (Discord never sends it again). */
  readonly dispatch?: boolean;
  /** Which event arrives first. @defaultValue 'entitlement' */
  readonly firstEvent?: 'entitlement' | 'subscription';
}

export interface SubscriptionsHost {
  readonly applicationId: string;
  readonly entitlements: Json[];
  readonly skus: Json[];
  dispatch(eventName: string, data: unknown): void;
}

export class FakeSubscriptions {
  private readonly all: Json[] = [];
  private readonly periodMs = new Map<string, number>();

  constructor(private readonly host: SubscriptionsHost) {}

  /** A subscription SKU of the application, for one member (user) or a whole server (guild). */
  addSku(input: { id: string; name: string; scope: 'user' | 'guild' }): Json {
    const sku: Json = {
      id: input.id,
      type: 5,
      application_id: this.host.applicationId,
      name: input.name,
      slug: input.name,
      flags: SKU_FLAGS.available | (input.scope === 'guild' ? SKU_FLAGS.guildSubscription : SKU_FLAGS.userSubscription),
      dependent_sku_id: null,
    };
    this.host.skus.push(sku);
    return sku;
  }

  subscribe(input: SubscribeInput): { subscription: Json; entitlement: Json } {
    const start = input.startsAt ?? new Date();
    const periodMs = input.periodMs ?? WEEK_MS;
    const subscriptionId = nextSnowflake();
    const entitlement: Json = {
      id: nextSnowflake(),
      sku_id: input.skuId,
      application_id: this.host.applicationId,
      user_id: input.userId,
      guild_id: input.guildId ?? null,
      promotion_id: null,
      type: 8, // APPLICATION_SUBSCRIPTION
      deleted: false,
      gift_code_flags: 0,
      consumed: false,
      starts_at: start.toISOString(),
      ends_at: null,
      subscription_id: subscriptionId,
    };
    const subscription: Json = {
      id: subscriptionId,
      user_id: input.userId,
      sku_ids: [input.skuId],
      entitlement_ids: [entitlement['id']],
      renewal_sku_ids: null,
      current_period_start: start.toISOString(),
      current_period_end: new Date(start.getTime() + periodMs).toISOString(),
      status: SUBSCRIPTION_STATUS.active,
      canceled_at: null,
    };
    this.host.entitlements.push(entitlement);
    this.all.push(subscription);
    this.periodMs.set(subscriptionId, periodMs);
    if (input.dispatch !== false) {
      const events: [string, Json][] = [
        ['ENTITLEMENT_CREATE', entitlement],
        ['SUBSCRIPTION_CREATE', subscription],
      ];
      if (input.firstEvent === 'subscription') events.reverse();
      for (const [name, data] of events) this.host.dispatch(name, { ...data });
    }
    return { subscription: { ...subscription }, entitlement: { ...entitlement } };
  }

  /** The member paid for the next period: it starts where the last ended (a pending downgrade applies now). */
  renew(subscriptionId: string, options: { dispatch?: boolean } = {}): Json {
    const subscription = this.find(subscriptionId);
    const start = new Date(subscription['current_period_end'] as string);
    subscription['current_period_start'] = start.toISOString();
    subscription['current_period_end'] = new Date(start.getTime() + this.periodMs.get(subscriptionId)!).toISOString();
    if (subscription['renewal_sku_ids']) {
      subscription['sku_ids'] = subscription['renewal_sku_ids'];
      subscription['renewal_sku_ids'] = null;
    }
    return this.updated(subscription, options);
  }

  /** An upgrade takes effect now; a downgrade waits for the renewal. */
  changePlan(subscriptionId: string, skuId: string, when: 'now' | 'renewal', options: { dispatch?: boolean } = {}): Json {
    const subscription = this.find(subscriptionId);
    if (when === 'now') subscription['sku_ids'] = [skuId];
    else subscription['renewal_sku_ids'] = [skuId];
    return this.updated(subscription, options);
  }

  /** The member cancelled: access lasts to the end of the paid period. */
  cancel(subscriptionId: string, options: { dispatch?: boolean } = {}): Json {
    const subscription = this.find(subscriptionId);
    subscription['status'] = SUBSCRIPTION_STATUS.ending;
    subscription['canceled_at'] = new Date().toISOString();
    return this.updated(subscription, options);
  }

  /** A cancelled period ran out: INACTIVE, and the entitlement gets its ends_at. */
  expire(subscriptionId: string, options: { dispatch?: boolean } = {}): Json {
    const subscription = this.find(subscriptionId);
    subscription['status'] = SUBSCRIPTION_STATUS.inactive;
    const entitlement = this.entitlementOf(subscription);
    entitlement['ends_at'] = subscription['current_period_end'];
    if (options.dispatch !== false) this.host.dispatch('ENTITLEMENT_UPDATE', { ...entitlement });
    return this.updated(subscription, options);
  }

  /** Discord refunded it: the entitlement is deleted and the subscription ends. */
  refund(subscriptionId: string, options: { dispatch?: boolean } = {}): Json {
    const subscription = this.find(subscriptionId);
    subscription['status'] = SUBSCRIPTION_STATUS.inactive;
    const entitlement = this.entitlementOf(subscription);
    entitlement['deleted'] = true;
    if (options.dispatch !== false) this.host.dispatch('ENTITLEMENT_DELETE', { ...entitlement });
    return { ...subscription };
  }

  /** Sends an event again, as Discord may (a gateway resume replays what was not acknowledged). */
  replay(eventName: 'SUBSCRIPTION_CREATE' | 'SUBSCRIPTION_UPDATE' | 'ENTITLEMENT_CREATE', subscriptionId: string): void {
    const subscription = this.find(subscriptionId);
    this.host.dispatch(eventName, eventName.startsWith('ENTITLEMENT') ? { ...this.entitlementOf(subscription) } : { ...subscription });
  }

  get subscriptions(): readonly Json[] {
    return this.all;
  }

  /** GET /skus/:sku/subscriptions?user_id= (user_id is required for a bot). */
  listRoute(skuId: string, query: URLSearchParams): RestReply {
    const userId = query.get('user_id');
    if (!userId)
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { user_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } };
    const after = BigInt(query.get('after') ?? '0');
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
    const found = this.all
      .filter((s) => (s['sku_ids'] as string[]).includes(skuId) && s['user_id'] === userId && BigInt(s['id'] as string) > after)
      .slice(0, limit)
      .map((s) => ({ ...s }));
    return { status: 200, body: found };
  }

  /** GET /skus/:sku/subscriptions/:id */
  getRoute(skuId: string, subscriptionId: string): RestReply {
    const subscription = this.all.find((s) => s['id'] === subscriptionId && (s['sku_ids'] as string[]).includes(skuId));
    return subscription ? { status: 200, body: { ...subscription } } : { status: 404, body: { message: 'Unknown Subscription', code: 10140 } };
  }

  /** GET /applications/:app/entitlements/:id (deleted ones too: the bot must learn of a refund). */
  entitlementRoute(applicationId: string, entitlementId: string): RestReply {
    const entitlement = this.host.entitlements.find((e) => e['id'] === entitlementId && e['application_id'] === applicationId);
    return entitlement ? { status: 200, body: { ...entitlement } } : { status: 404, body: { message: 'Unknown Entitlement', code: 10121 } };
  }

  private find(id: string): Json {
    const subscription = this.all.find((s) => s['id'] === id);
    if (!subscription) throw new Error(`fake-discord: no subscription ${id}`);
    return subscription;
  }

  private entitlementOf(subscription: Json): Json {
    const entitlement = this.host.entitlements.find((e) => e['id'] === (subscription['entitlement_ids'] as string[])[0]);
    if (!entitlement) throw new Error(`fake-discord: subscription ${String(subscription['id'])} has no entitlement`);
    return entitlement;
  }

  private updated(subscription: Json, options: { dispatch?: boolean }): Json {
    if (options.dispatch !== false) this.host.dispatch('SUBSCRIPTION_UPDATE', { ...subscription });
    return { ...subscription };
  }
}
