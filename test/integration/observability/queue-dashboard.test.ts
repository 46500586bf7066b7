// Bull Board on the health server's port, against a real BullMQ queue in Redis: it answers only
// with the configured user and password, shows the queue and its jobs, and is not there at all
// when the route is not mounted (no password configured).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { startHealthServer, type HttpRoute } from '../../../src/observability/health-server.js';
import { basicAuthMatches, queueDashboardRoute } from '../../../src/observability/queue-dashboard.js';
import { createBullGenerationQueue } from '../../../src/queue/bullmq-generation-queue.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { dropPrefix, redisUrl, uniquePrefix } from '../../support/redis.js';

const prefix = uniquePrefix();
const password = 'correct horse battery staple';
const queue = createBullGenerationQueue({ connection: createRedisConnection(redisUrl), prefix });
const servers: { port: number; close(): Promise<void> }[] = [];
let withDashboard: string;
let withoutDashboard: string;
const jobId = randomUUID();

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

beforeAll(async () => {
  await queue.enqueue(jobId, 10);
  const start = async (routes: readonly HttpRoute[]) => {
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', registry: new Registry(), checks: {}, routes });
    servers.push(server);
    return `http://127.0.0.1:${server.port}`;
  };
  withDashboard = await start([queueDashboardRoute({ queues: [queue.queue], user: 'admin', password })]);
  withoutDashboard = await start([]);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await queue.close();
  await dropPrefix(prefix);
});

describe('the queue dashboard', () => {
  it('is not there when no password is configured (the route is not mounted)', async () => {
    const response = await fetch(`${withoutDashboard}/admin/queues`, { headers: { authorization: basic('admin', password) } });
    expect(response.status).toBe(404);
  });

  it('asks for credentials, and refuses a wrong password or user', async () => {
    const anonymous = await fetch(`${withDashboard}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    for (const authorization of [basic('admin', 'wrong password'), basic('root', password), basic('admin', `${password}x`), 'Bearer abc', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const response = await fetch(`${withDashboard}/admin/queues/api/queues`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(await response.text()).not.toContain(jobId);
    }
  });

  it('with the password serves the board and lists the generation queue with its waiting job', async () => {
    const headers = { authorization: basic('admin', password) };
    const page = await fetch(`${withDashboard}/admin/queues`, { headers });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // Its script loads from under the same path, behind the same password.
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    const script = new URL(/src="([^"]+\.js)"/.exec(html)![1]!, `${withDashboard}/admin/queues/`);
    expect((await fetch(script, { headers })).status).toBe(200);
    expect((await fetch(script)).status).toBe(401);
    const api = await fetch(`${withDashboard}/admin/queues/api/queues?activeQueue=generations&status=prioritized&page=1`, { headers });
    expect(api.status).toBe(200);
    const body = await api.json() as { queues: { name: string; counts: Record<string, number>; jobs: { id: string }[] }[] };
    const generations = body.queues.find((q) => q.name === 'generations');
    expect(generations?.counts).toMatchObject({ prioritized: 1 });
    expect(generations?.jobs.map((job) => job.id)).toEqual([jobId]);
  });

  it('compares user and password exactly', () => {
    expect(basicAuthMatches(basic('admin', 'pw:with:colons'), 'admin', 'pw:with:colons')).toBe(true);
    expect(basicAuthMatches(basic('admin', 'pw'), 'admin', 'pw:with:colons')).toBe(false);
    expect(basicAuthMatches(undefined, 'admin', 'pw')).toBe(false);
  });
});
