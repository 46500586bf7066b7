// The public listener answers its webhooks and a bare health check, and nothing else: no metrics,
// no health details, no hint of what else the process serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPublicServer } from '../../../src/observability/public-server.js';

let server: Awaited<ReturnType<typeof startPublicServer>>;
beforeAll(async () => {
  server = await startPublicServer({
    port: 0,
    host: '127.0.0.1',
    routes: [
      async (request, response) => {
        if (request.url !== '/hook' || request.method !== 'POST') return false;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"received":true}');
        return true;
      },
      async (request) => {
        if (request.url === '/broken') throw new Error('secret detail');
        return false;
      },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

const call = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

describe('the public listener', () => {
  it('answers a bare "ok" to a load balancer’s health check, GET or HEAD', async () => {
    const health = await call('/healthz');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    expect((await call('/healthz', { method: 'HEAD' })).status).toBe(200);
  });

  it('serves its routes; a route that throws answers 500 without the error', async () => {
    expect(await (await call('/hook', { method: 'POST', body: '{}' })).json()).toEqual({ received: true });
    const broken = await call('/broken');
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toContain('secret detail');
  });

  it('is a plain 404 for everything else, metrics and the dashboard included', async () => {
    for (const path of ['/metrics', '/admin/queues', '/', '/hook', '/healthz/details']) {
      const response = await call(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toBe('Not found\n');
    }
    expect((await call('/healthz', { method: 'POST' })).status).toBe(404);
  });
});
