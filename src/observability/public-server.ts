// The public listener (PUBLIC_HTTP_PORT): only what the internet must reach — payment webhooks —
// and a bare "ok" for a load balancer. Nothing here tells how the process is doing inside:
// metrics, health details and the queue dashboard stay on the private HTTP_PORT.
import { createServer } from 'node:http';
import { answerWithRoutes, listen, type HttpRoute, type Listening } from './health-server.js';

export interface PublicServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly routes: readonly HttpRoute[];
}

export async function startPublicServer(options: PublicServerOptions): Promise<Listening> {
  // A webhook is a few KiB sent at once; a client that dribbles its request holds a socket for nothing.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://public.local').pathname;
      if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('ok\n');
      } else if (!(await answerWithRoutes(options.routes, request, response))) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found\n');
      }
    })();
  });
  return listen(server, options.port, options.host);
}
