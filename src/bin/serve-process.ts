// Runs the composed parts of a process behind one /healthz + /metrics server on HTTP_PORT.
import { startHealthServer } from '../observability/health-server.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessPart } from './compose-worker.js';
import type { Preflight } from './preflight.js';

export async function serveParts(ready: Preflight, log: Logger, metrics: Metrics, parts: readonly ProcessPart[], message: string): Promise<{ stop(): Promise<void> }> {
  const health = await startHealthServer({
    port: ready.config.http.port,
    registry: metrics.registry,
    checks: Object.assign({}, ...parts.map((part) => part.checks)),
    routes: parts.flatMap((part) => part.routes ?? []),
    beforeScrape: async () => {
      await Promise.all(parts.map((part) => part.beforeScrape?.()));
    },
  });
  log.info({ httpPort: health.port }, message);
  return {
    async stop() {
      await health.close();
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}
