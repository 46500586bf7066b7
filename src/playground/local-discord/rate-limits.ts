// Discord's REST rate limits, as @discordjs/rest 2.6 reads them. A fake that never says 429 lets a
// bot pass every test and then stall a busy channel in production, so the limits are on by default.
//
// How discord.js uses what we send (SequentialHandler.runRequest):
// - it keys a queue by `X-RateLimit-Bucket` hash + major parameter (channel id, or webhook id +
//   token), so routes answering the same hash queue together per channel / per interaction token;
// - on every answer it stores `remaining = X-RateLimit-Remaining` and
//   `reset = now + X-RateLimit-Reset-After`, and waits before sending when remaining is 0: with
//   truthful headers it paces itself and is never refused;
// - a 429 with `X-RateLimit-Global` stops ALL its requests for `Retry-After` seconds; any other 429
//   waits for the bucket's reset and retries.
// Windows here are fixed: a bucket's window opens at its first request and resets `windowMs` later.
// A refused request is not applied and counts against nothing.
import type { RestReply } from './rest-interactions.js';

export interface BucketLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitSettings {
  /** POST /channels/{c}/messages, PATCH + DELETE /channels/{c}/messages/{m}: one bucket per channel. */
  readonly channelMessages: BucketLimit | false;
  /** POST /webhooks/{app}/{token}, GET/PATCH/DELETE …/messages/{id|@original}: one bucket per token. */
  readonly interactionWebhook: BucketLimit | false;
  /** Every bot-authorized request except interaction callbacks and webhook-token routes. */
  readonly global: BucketLimit | false;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  channelMessages: { limit: 5, windowMs: 5_000 },
  interactionWebhook: { limit: 5, windowMs: 2_000 },
  global: { limit: 50, windowMs: 1_000 },
};

export interface RateLimitRecord {
  readonly method: string;
  /** The decoded request path, `/api/v10/...`. */
  readonly path: string;
  /** The `X-RateLimit-Bucket` hash, or `'global'`. */
  readonly bucket: string;
  readonly scope: 'user' | 'global';
  readonly retryAfterMs: number;
  /** `Date.now()` when the request was refused. */
  readonly at: number;
}

/** The verdict on one request: refused with a 429, or allowed with headers to add to its answer. */
export type RateLimitDecision = { readonly refused: RestReply } | { readonly refused?: undefined; readonly headers: Record<string, string> };

// Opaque per-route-group hashes, shaped like Discord's; the major parameter (channel, token) keys the bucket.
const CHANNEL_MESSAGES_HASH = '80c17d2f203122d936070c88c8d10f33';
const INTERACTION_WEBHOOK_HASH = 'd8e1a0c27f0b6a4c3e5f9b1a2c4d6e8f';
const RATE_LIMITED = 'You are being rate limited.';

interface Window {
  start: number;
  count: number;
}

interface Classified {
  /** The limited bucket this route belongs to, if any. */
  readonly bucket?: { readonly hash: string; readonly key: string; readonly limit: BucketLimit };
  /** Interaction callbacks and webhook-token routes carry their own token and skip the global limit. */
  readonly exemptFromGlobal: boolean;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export class RateLimiter {
  readonly refused: RateLimitRecord[] = [];
  private readonly settings: RateLimitSettings;
  private readonly windows = new Map<string, Window>();

  constructor(
    settings: false | Partial<RateLimitSettings> | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = settings === false ? { channelMessages: false, interactionWebhook: false, global: false } : { ...DEFAULT_RATE_LIMITS, ...settings };
  }

  /** `path` is the decoded path without `/api/v10`; `recordedPath` is what the 429 record shows. */
  check(method: string, path: string, recordedPath: string, botAuthorized: boolean): RateLimitDecision {
    const now = this.now();
    const { bucket, exemptFromGlobal } = this.classify(method, path);
    const global = this.settings.global !== false && botAuthorized && !exemptFromGlobal ? this.settings.global : undefined;
    const globalWindow = global ? this.window('global', global, now) : undefined;
    if (global && globalWindow && globalWindow.count >= global.limit) {
      const retryAfterMs = globalWindow.start + global.windowMs - now;
      this.refused.push({ method, path: recordedPath, bucket: 'global', scope: 'global', retryAfterMs, at: now });
      return {
        refused: {
          status: 429,
          headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global', 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) },
          body: { message: RATE_LIMITED, retry_after: Number(seconds(retryAfterMs)), global: true },
        },
      };
    }
    const bucketWindow = bucket ? this.window(`${bucket.hash}:${bucket.key}`, bucket.limit, now) : undefined;
    if (bucket && bucketWindow && bucketWindow.count >= bucket.limit.limit) {
      const retryAfterMs = bucketWindow.start + bucket.limit.windowMs - now;
      this.refused.push({ method, path: recordedPath, bucket: bucket.hash, scope: 'user', retryAfterMs, at: now });
      return {
        refused: {
          status: 429,
          headers: {
            ...this.bucketHeaders(bucket.hash, bucket.limit, bucketWindow, now),
            'X-RateLimit-Scope': 'user',
            'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
          },
          body: { message: RATE_LIMITED, retry_after: Number(seconds(retryAfterMs)), global: false },
        },
      };
    }
    if (globalWindow) this.count('global', globalWindow);
    if (!bucket || !bucketWindow) return { headers: {} };
    this.count(`${bucket.hash}:${bucket.key}`, bucketWindow);
    return { headers: this.bucketHeaders(bucket.hash, bucket.limit, bucketWindow, now) };
  }

  private classify(method: string, path: string): Classified {
    if (method === 'POST' && /^\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) return { exemptFromGlobal: true };
    const webhook = /^\/webhooks\/([^/]+)\/([^/]+)(\/messages\/[^/]+)?$/.exec(path);
    if (webhook) {
      const limited = webhook[3] === undefined ? method === 'POST' : ['GET', 'PATCH', 'DELETE'].includes(method);
      const limit = this.settings.interactionWebhook;
      return { exemptFromGlobal: true, ...(limited && limit ? { bucket: { hash: INTERACTION_WEBHOOK_HASH, key: `${webhook[1]}/${webhook[2]}`, limit } } : {}) };
    }
    const channel = /^\/channels\/([^/]+)\/messages(\/[^/]+)?$/.exec(path);
    const limit = this.settings.channelMessages;
    if (channel && limit && (channel[2] === undefined ? method === 'POST' : method === 'PATCH' || method === 'DELETE')) {
      return { exemptFromGlobal: false, bucket: { hash: CHANNEL_MESSAGES_HASH, key: channel[1]!, limit } };
    }
    return { exemptFromGlobal: false };
  }

  /** The bucket's current fixed window, or the one an allowed request would open now (not yet stored). */
  private window(key: string, limit: BucketLimit, now: number): Window {
    const window = this.windows.get(key);
    return window && now < window.start + limit.windowMs ? window : { start: now, count: 0 };
  }

  /** Counts an allowed request; only allowed requests open windows. */
  private count(key: string, window: Window): void {
    window.count += 1;
    this.windows.set(key, window);
  }

  private bucketHeaders(hash: string, limit: BucketLimit, window: Window, now: number): Record<string, string> {
    const resetAt = window.start + limit.windowMs;
    return {
      'X-RateLimit-Limit': String(limit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit.limit - window.count)),
      'X-RateLimit-Reset': seconds(resetAt),
      'X-RateLimit-Reset-After': seconds(resetAt - now),
      'X-RateLimit-Bucket': hash,
    };
  }
}
