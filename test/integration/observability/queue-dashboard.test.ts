// Bull Board on the health server's port, against a real BullMQ queue in Redis: it answers only
// with the configured user and password, shows the queue and its jobs, and is not there at all
// when the route is not mounted (no password configured). Failed logins are limited per client
// address, so the password cannot be guessed at the speed of the network.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
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
let limited: { host: string; port: number };
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
  const strict = await startHealthServer({
    port: 0,
    host: '0.0.0.0',
    registry: new Registry(),
    checks: {},
    routes: [queueDashboardRoute({ queues: [queue.queue], user: 'admin', password, failedLogins: { max: 3, windowSeconds: 600, blockSeconds: 900 } })],
  });
  servers.push(strict);
  limited = { host: '127.0.0.1', port: strict.port };
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
    for (const authorization of [
      basic('admin', 'wrong password'),
      basic('root', password),
      basic('admin', `${password}x`),
      'Bearer abc',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
    ]) {
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
    const body = (await api.json()) as { queues: { name: string; counts: Record<string, number>; jobs: { id: string }[] }[] };
    const generations = body.queues.find((q) => q.name === 'generations');
    expect(generations?.counts).toMatchObject({ prioritized: 1 });
    expect(generations?.jobs.map((job) => job.id)).toEqual([jobId]);
  });

  it('after too many wrong passwords from one address, refuses it (429, Retry-After) even the right one; other addresses still get in', async () => {
    /** A request from a chosen loopback address (Linux routes all of 127/8 to lo). */
    const get = (from: string, authorization?: string) =>
      new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
        const request = httpRequest(
          { ...limited, localAddress: from, path: '/admin/queues/api/queues', headers: authorization ? { authorization } : {} },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body }));
          },
        );
        request.on('error', reject);
        request.end();
      });
    const guesser = '127.0.0.2';
    // Asking without credentials is how a browser starts: not a guess.
    for (let i = 0; i < 5; i++) expect((await get(guesser)).status).toBe(401);
    expect((await get(guesser, basic('admin', password))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await get(guesser, basic('admin', `guess ${i}`))).status).toBe(401);
    const refused = await get(guesser, basic('admin', password));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(800);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(900);
    expect(refused.body).not.toContain(jobId);
    expect((await get(guesser, basic('admin', 'guess 4'))).status).toBe(429);
    // Someone else, from another address, is not locked out by the guesser.
    expect((await get('127.0.0.3', basic('admin', password))).status).toBe(200);
  });

  it('a right password before the limit forgets the earlier mistakes', async () => {
    const from = '127.0.0.4';
    const get = (authorization: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest({ ...limited, localAddress: from, path: '/admin/queues/api/queues', headers: { authorization } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end();
      });
    for (let round = 0; round < 3; round++) {
      expect(await get(basic('admin', 'typo one'))).toBe(401);
      expect(await get(basic('admin', 'typo two'))).toBe(401);
      expect(await get(basic('admin', password))).toBe(200);
    }
  });

  it('compares user and password exactly', () => {
    expect(basicAuthMatches(basic('admin', 'pw:with:colons'), 'admin', 'pw:with:colons')).toBe(true);
    expect(basicAuthMatches(basic('admin', 'pw'), 'admin', 'pw:with:colons')).toBe(false);
    expect(basicAuthMatches(undefined, 'admin', 'pw')).toBe(false);
  });
});
