export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const CREATE_PATH = /\/(?:predictions|models\/[^/]+\/[^/]+\/predictions|deployments\/[^/]+\/[^/]+\/predictions)$/;

/**
 * A fetch that lets at most one prediction create through; every later create gets a replay of
 * the first one's outcome (the same error, or a copy of the same response).
 *
 * Why: replicate@1.4.0 wraps every request in `withAutomaticRetries` (lib/util.js). That loop
 * catches *any* error thrown by fetch, for every method, and calls fetch again (up to 6 sends in
 * all); for POST it also re-sends on a 429 (index.js `request`: `shouldRetry` is `status === 429`
 * for non-GET). A create whose response was lost after the server had made the prediction
 * (connection reset, timeout) would be sent again: a second paid prediction. Replaying the first
 * outcome makes that loop end with the original error without touching the network, and a 429
 * surfaces at once so our job's retry (with its backoff and the Retry-After hint) decides.
 * GETs keep the client's retries: reading a prediction twice costs nothing.
 *
 * Use one per generation: the guard is spent by the first create.
 */
export function sendCreateOnce(fetch: FetchLike): FetchLike {
  let first: Promise<() => Response> | undefined;
  return async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = new URL(input instanceof Request ? input.url : input);
    if (method.toUpperCase() !== 'POST' || !CREATE_PATH.test(url.pathname)) return fetch(input, init);
    first ??= fetch(input, init).then(replayable);
    return (await first)();
  };
}

/** Buffers the body so the same answer can be handed out more than once. */
async function replayable(response: Response): Promise<() => Response> {
  const body = await response.arrayBuffer();
  const { status, statusText, headers } = response;
  const nullBody = status === 204 || status === 205 || status === 304;
  return () => new Response(nullBody ? null : body.slice(0), { status, statusText, headers });
}
