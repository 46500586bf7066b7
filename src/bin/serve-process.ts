// Runs the composed parts of a process behind its listeners: /healthz + /metrics (and dashboards)
// on the private HTTP_PORT, and, when a part has webhooks, the public listener on PUBLIC_HTTP_PORT.
import { startHealthServer, type Listening } from '../observability/health-server.js';
import type { Metrics } from '../observability/metrics.js';
import { startPublicServer } from '../observability/public-server.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessPart } from './compose-worker.js';
import type { Preflight } from './preflight.js';

export async function serveParts(
  ready: Preflight,
  log: Logger,
  metrics: Metrics,
  parts: readonly ProcessPart[],
  message: string,
  options: { readonly host?: string } = {},
): Promise<{ readonly httpPort: number; stop(): Promise<void> }> {
  const health = await startHealthServer({
    port: ready.config.http.port,
    ...(options.host ? { host: options.host } : {}),
    registry: metrics.registry,
    checks: Object.assign({}, ...parts.map((part) => part.checks)),
    routes: parts.flatMap((part) => part.routes ?? []),
    beforeScrape: async () => {
      await Promise.all(parts.map((part) => part.beforeScrape?.()));
    },
  });
  const publicRoutes = parts.flatMap((part) => part.publicRoutes ?? []);
  let open: Listening | null = null;
  try {
    if (publicRoutes.length > 0) open = await startPublicServer({ port: ready.config.http.publicPort, routes: publicRoutes });
  } catch (error) {
    await health.close();
    throw error;
  }
  log.info({ httpPort: health.port, ...(open ? { publicHttpPort: open.port } : {}) }, message);
  return {
    httpPort: health.port,
    async stop() {
      for (const part of parts) part.closing?.();
      // Webhooks first: a payment provider retries what it could not deliver.
      await open?.close();
      await health.close();
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}
