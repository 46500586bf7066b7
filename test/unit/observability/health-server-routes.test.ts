import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer } from '../../../src/observability/health-server.js';

let server: Awaited<ReturnType<typeof startHealthServer>>;
beforeAll(async () => {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    registry: new Registry(),
    checks: {},
    routes: [
      async (request, response) => {
        if (request.url !== '/hello') return false;
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('hi');
        return true;
      },
      async (request) => {
        if (request.url === '/broken') throw new Error('boom');
        return false;
      },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

describe('extra routes on the health server', () => {
  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('answers a route that claims the request', async () => {
    const response = await get('/hello');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hi');
  });

  it('answers 500 without the error for a route that throws, and 404 for what no route claims', async () => {
    const broken = await get('/broken');
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toMatch(/boom/);
    expect((await get('/nothing')).status).toBe(404);
    expect((await get('/healthz')).status).toBe(200);
  });
});
