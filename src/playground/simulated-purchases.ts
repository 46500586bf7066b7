// The owner's "simulate a purchase" buttons. Both go through the bot's real payment paths, only
// the payer is simulated:
// - Discord: the local Discord records an entitlement on the pack's SKU and sends the bot
//   ENTITLEMENT_CREATE, as Discord does when a member buys in its store;
// - card: a `checkout.session.completed` event, signed with the playground's webhook secret, is
//   POSTed to the bot's own /stripe/webhook, as Stripe does when a Checkout is paid.
// "Send again" repeats the last delivery exactly (Discord and Stripe both re-deliver): the bot
// must grant the pack once.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { checkoutMetadata, priceInCents } from '../domain/payments/checkout-metadata.js';
import type { Pack } from '../domain/pricing/price-card-schema.js';
import type { FakeDiscord, Json } from './local-discord/fake-discord.js';

export type PurchaseMethod = 'discord' | 'card';

export interface PurchaseOutcome {
  /** What happened, in a sentence for the page. */
  readonly note: string;
}

export interface SimulatedPurchasesOptions {
  readonly discord: FakeDiscord;
  readonly guildId: string;
  /** The bot's own webhook: http://127.0.0.1:<port>/stripe/webhook. */
  readonly webhookUrl: () => string;
  readonly webhookSecret: string;
}

type Delivery = { readonly method: 'discord'; readonly entitlement: Json } | { readonly method: 'card'; readonly body: string };

export class SimulatedPurchases {
  private last: Delivery | undefined;

  constructor(private readonly options: SimulatedPurchasesOptions) {}

  async buy(method: PurchaseMethod, pack: Pack, userId: string): Promise<PurchaseOutcome> {
    if (method === 'discord') {
      if (!pack.discordSkuId) return { note: `${pack.id} is not sold in the Discord store` };
      const entitlement = this.options.discord.addEntitlement({ userId, skuId: pack.discordSkuId, type: 1 });
      this.last = { method, entitlement };
      this.options.discord.dispatch('ENTITLEMENT_CREATE', entitlement);
      return { note: `Discord: entitlement ${String(entitlement['id'])} on SKU ${pack.discordSkuId} sent to the bot` };
    }
    const id = randomBytes(12).toString('hex');
    return this.payCheckout({ sessionId: `cs_test_playground_${id}`, paymentId: `pi_playground_${id}`, pack, userId });
  }

  /** Stripe telling the bot a Checkout was paid: a session made by /topup's "Buy with card", or one made up here. */
  async payCheckout(session: { sessionId: string; paymentId: string; pack: Pack; userId: string }): Promise<PurchaseOutcome> {
    const body = JSON.stringify(this.checkoutCompleted(session));
    this.last = { method: 'card', body };
    return this.postToWebhook(body);
  }

  /** Delivers the last purchase again, unchanged. */
  async resend(): Promise<PurchaseOutcome> {
    const last = this.last;
    if (!last) return { note: 'nothing to send again yet: simulate a purchase first' };
    if (last.method === 'card') return this.postToWebhook(last.body, 'sent again: ');
    this.options.discord.dispatch('ENTITLEMENT_CREATE', last.entitlement);
    return { note: `sent again: Discord entitlement ${String(last.entitlement['id'])}` };
  }

  private async postToWebhook(body: string, prefix = ''): Promise<PurchaseOutcome> {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: this.options.webhookSecret });
    const response = await fetch(this.options.webhookUrl(), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { note: `${prefix}card: the bot's webhook answered ${response.status} ${JSON.stringify(answer)}` };
  }

  /** The event Stripe sends for a paid Checkout made by /topup's "Buy with card" (same metadata). */
  private checkoutCompleted({ sessionId, paymentId, pack, userId }: { sessionId: string; paymentId: string; pack: Pack; userId: string }): Json {
    return {
      id: `evt_playground_${randomBytes(12).toString('hex')}`,
      object: 'event',
      type: 'checkout.session.completed',
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: sessionId,
          object: 'checkout.session',
          mode: 'payment',
          payment_status: 'paid',
          status: 'complete',
          amount_total: priceInCents(pack),
          currency: 'usd',
          client_reference_id: userId,
          payment_intent: paymentId,
          metadata: checkoutMetadata({ userId, guildId: this.options.guildId, pack }),
        },
      },
    };
  }
}
