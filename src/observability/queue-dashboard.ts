// Bull Board, the queue dashboard, on the process's own HTTP port under /admin/queues, behind
// HTTP basic auth. It can retry, promote and delete jobs, so it is mounted only when the
// operator sets a password (BULL_BOARD_PASSWORD); without one the path is a plain 404. Wrong
// passwords are limited per client address: after `failedLogins.max` within the window, that
// address gets 429 (even with the right password) until its block ends.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '../shared/logger.js';
import type { HttpRoute } from './health-server.js';

export const queueDashboardPath = '/admin/queues';

export interface FailedLoginLimit {
  /** Wrong passwords one address may send within the window. */
  readonly max: number;
  readonly windowSeconds: number;
  /** How long an address that reached `max` is refused. */
  readonly blockSeconds: number;
}

export interface QueueDashboardOptions {
  readonly queues: readonly Queue[];
  readonly user: string;
  readonly password: string;
  /** @defaultValue 10 wrong passwords per 15 minutes, then 15 minutes refused */
  readonly failedLogins?: FailedLoginLimit;
  /** Told when an address is blocked. */
  readonly log?: Logger;
}

const defaultFailedLogins: FailedLoginLimit = { max: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/**
 * Whom a failed login counts against: an IPv4 address (also when mapped into IPv6), or an IPv6
 * address's /64 — one machine commonly holds a whole /64, so single IPv6 addresses are free to rotate.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

// Hashing first gives both sides one length, so the comparison takes the same time whatever
// the guess: nothing about the password leaks through timing.
const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** Whether an Authorization header carries exactly this user and password (RFC 7617 basic). */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  // Both halves are always compared, so a right user name is not told apart by timing either.
  const userOk = sameSecret(decoded.slice(0, colon), user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

const ownsPath = (url: string) => url === queueDashboardPath || url.startsWith(`${queueDashboardPath}/`) || url.startsWith(`${queueDashboardPath}?`);

export function queueDashboardRoute(options: QueueDashboardOptions): HttpRoute {
  const server = new ExpressAdapter().setBasePath(queueDashboardPath);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })), serverAdapter: server });
  const app = server.getRouter() as (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
  const limit = options.failedLogins ?? defaultFailedLogins;
  // In this process's memory: each process serving the dashboard counts its own failures.
  const failures = new RateLimiterMemory({ points: limit.max, duration: limit.windowSeconds });

  return async (request, response) => {
    const url = request.url ?? '/';
    if (!ownsPath(url)) return false;
    const client = clientKey(request.socket.remoteAddress);
    const seen = await failures.get(client);
    if (seen !== null && seen.consumedPoints >= limit.max) {
      // Refused before the password is even looked at: a blocked address learns nothing more.
      response.writeHead(429, { 'retry-after': String(Math.max(1, Math.ceil(seen.msBeforeNext / 1000))), 'content-type': 'text/plain' });
      response.end('Too many failed logins from your address; try again later\n');
      return true;
    }
    const authorization = request.headers.authorization;
    if (!basicAuthMatches(authorization, options.user, options.password)) {
      // No credentials at all is how a browser asks for the login box: only a wrong guess counts.
      if (authorization !== undefined) {
        const counted = await failures.penalty(client);
        if (counted.consumedPoints >= limit.max) {
          await failures.block(client, limit.blockSeconds);
          options.log?.warn(
            { client, failedLogins: counted.consumedPoints, blockSeconds: limit.blockSeconds },
            'queue dashboard: too many failed logins; address blocked',
          );
        }
      }
      response.writeHead(401, { 'www-authenticate': 'Basic realm="imagine-credits queues", charset="UTF-8"', 'content-type': 'text/plain' });
      response.end('Authentication required\n');
      return true;
    }
    if (seen !== null) await failures.delete(client);
    // As if mounted at the path (what express's app.use does): Bull Board routes from its root.
    const rest = url.slice(queueDashboardPath.length);
    request.url = rest.startsWith('/') ? rest : `/${rest}`;
    await new Promise<void>((resolve, reject) => {
      response.once('close', resolve);
      response.once('finish', resolve);
      app(request, response, (error) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not found\n');
      });
    });
    return true;
  };
}
