// Bull Board, the queue dashboard, on the process's own HTTP port under /admin/queues, behind
// HTTP basic auth. It can retry, promote and delete jobs, so it is mounted only when the
// operator sets a password (BULL_BOARD_PASSWORD); without one the path is a plain 404.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { HttpRoute } from './health-server.js';

export const queueDashboardPath = '/admin/queues';

export interface QueueDashboardOptions {
  readonly queues: readonly Queue[];
  readonly user: string;
  readonly password: string;
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

  return async (request, response) => {
    const url = request.url ?? '/';
    if (!ownsPath(url)) return false;
    if (!basicAuthMatches(request.headers.authorization, options.user, options.password)) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="imagine-credits queues", charset="UTF-8"', 'content-type': 'text/plain' });
      response.end('Authentication required\n');
      return true;
    }
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
