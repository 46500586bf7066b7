import Stripe from 'stripe';

export interface StripeClientOptions {
  readonly secretKey: string;
  /** `STRIPE_API_URL`, e.g. a local fake in tests. @defaultValue Stripe's */
  readonly apiUrl?: string | undefined;
  /** A member is waiting on the click; give up well before Discord's 15-minute token ends. */
  readonly timeoutMs?: number;
}

/** The official client, pointed at `apiUrl`'s protocol, host and port when one is given. */
export function createStripeClient(options: StripeClientOptions): Stripe {
  const target = options.apiUrl ? new URL(options.apiUrl) : undefined;
  return new Stripe(options.secretKey, {
    timeout: options.timeoutMs ?? 10_000,
    // One retry, with the idempotency key we pass, can never make a second session.
    maxNetworkRetries: 1,
    ...(target
      ? {
          protocol: target.protocol === 'http:' ? 'http' : 'https',
          host: target.hostname,
          port: target.port || (target.protocol === 'https:' ? 443 : 80),
        }
      : {}),
  });
}
