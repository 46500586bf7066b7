// /healthz and /metrics on HTTP_PORT, the private port (with the queue dashboard where it is on).
// Health runs each check with a time limit and answers 503 naming what failed, so an orchestrator
// can restart or stop routing to this process. What the internet must reach (payment webhooks) is
// on the public listener instead (public-server.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { errorMessage } from '../shared/error-message.js';

export type HealthCheck = () => Promise<unknown>;

/**
 * Another endpoint on a listener (a payment webhook, a dashboard). Answers and returns true
 * when the request is its own, returns false to let the next route look at it.
 */
export type HttpRoute = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** Tries each route in order; a route that throws gets a 500 that tells nothing of the error. Returns whether one answered. */
export async function answerWithRoutes(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  for (const route of routes) {
    try {
      if (await route(request, response)) return true;
    } catch {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error\n');
      return true;
    }
  }
  return false;
}

export interface Listening {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: any free one) and reports the port it got. */
export async function listen(server: Server, port: number, host = '0.0.0.0'): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface HealthServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly checks: Readonly<Record<string, HealthCheck>>;
  readonly registry: Registry;
  /** Refreshes gauges (queue depth…) just before a scrape. */
  readonly beforeScrape?: () => Promise<void>;
  /** Tried in order before the 404, for any path other than /healthz and /metrics. */
  readonly routes?: readonly HttpRoute[];
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);

export async function startHealthServer(options: HealthServerOptions): Promise<Listening> {
  const server = createServer((request, response) => {
    void (async () => {
      if (request.url === '/healthz') {
        const results = await Promise.all(
          Object.entries(options.checks).map(async ([name, check]) => {
            try {
              await withTimeout(check(), 2000);
              return [name, 'ok'] as const;
            } catch (error) {
              return [name, errorMessage(error)] as const;
            }
          }),
        );
        const healthy = results.every(([, result]) => result === 'ok');
        response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', checks: Object.fromEntries(results) }));
      } else if (request.url === '/metrics') {
        await options.beforeScrape?.().catch(() => undefined);
        response.writeHead(200, { 'content-type': options.registry.contentType });
        response.end(await options.registry.metrics());
      } else if (!(await answerWithRoutes(options.routes ?? [], request, response))) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found: try /healthz or /metrics\n');
      }
    })();
  });
  return listen(server, options.port, options.host);
}
