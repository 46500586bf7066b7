// The global rate limit toward the image provider (PROVIDER_JOBS_PER_MINUTE; Replicate allows 600
// prediction creates a minute), shared by every worker through Redis. It is spent only by a job
// that is about to call the provider — not when BullMQ hands a worker a job that then waits for
// its member's running-job limit or for another worker's lease. (BullMQ's own limiter counts
// every pickup, so one member's queue of deferred jobs could use up everyone's minute.)
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImageProvider } from '../use-cases/ports/image-provider.js';

export interface ProviderStartLimitOptions {
  readonly redis: Redis;
  /** Redis key prefix (the queue's), so bots sharing a Redis keep their own limits. */
  readonly prefix: string;
  /** Starts allowed per window, across all workers. */
  readonly max: number;
  /** @defaultValue 60 s */
  readonly windowMs?: number;
}

/** `provider`, whose every generation first waits for a start within the shared limit. */
export function limitProviderStarts(provider: ImageProvider, options: ProviderStartLimitOptions): ImageProvider {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:provider-starts`,
    points: options.max,
    duration: (options.windowMs ?? 60_000) / 1000,
  });
  async function start(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      try {
        await limiter.consume('all');
        return;
      } catch (refusal) {
        // Over the limit (not an error): wait for the window to turn, as BullMQ's limiter would.
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        await sleep(Math.max(10, refusal.msBeforeNext), undefined, signal ? { signal } : {});
      }
    }
  }
  return {
    name: provider.name,
    async generate(request, context) {
      await start(context.signal);
      return provider.generate(request, context);
    },
  };
}
