// The playground has no login: whoever reaches it plays every member and the owner. It listens on
// 127.0.0.1, and this refuses requests whose Host is not this machine's, so a web page elsewhere
// cannot reach it through DNS rebinding (its name pointed at 127.0.0.1 after the page loaded).
import type { HttpRoute } from '../observability/health-server.js';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOCAL_HOSTS.has(name.toLowerCase());
}

/** `route`, answering 403 to a request that names another host. */
export function localOnly(route: HttpRoute): HttpRoute {
  return async (request, response) => {
    if (isLocalHost(request.headers.host)) return route(request, response);
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The playground answers only at http://127.0.0.1 (or localhost) on this machine.\n');
    return true;
  };
}
