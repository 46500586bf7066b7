import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJson, send, serveOutput, serveSource } from './fake-replicate-files.js';
import { type FakeScript, NSFW_ERROR, progressLine } from './fake-replicate-script.js';

export { NSFW_ERROR, OVERSIZE_BYTES, type FakeScript } from './fake-replicate-script.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  readonly body: unknown;
}

type Status = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

interface FakePrediction {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly input: Record<string, unknown>;
  readonly createdAt: Date;
  readonly script: FakeScript;
  status: Status;
  polls: number;
  getErrorsServed: number;
  logs: string[];
  output: string | string[] | null;
  error: string | null;
  completedAt: Date | null;
}

export interface SeedPrediction {
  readonly model?: string;
  readonly version?: string;
  readonly input: Record<string, unknown>;
  readonly createdAt: Date;
}

/**
 * Replicate's predictions API as replicate@1.4.0 uses it, over real HTTP on 127.0.0.1: create
 * (by version or official model), get, list (paginated), cancel, and the output files. Each
 * prediction follows the script of its prompt, or the default script.
 */
export class FakeReplicate {
  readonly token = `r8_fake_${randomBytes(6).toString('hex')}`;
  readonly requests: RecordedRequest[] = [];
  private readonly predictions = new Map<string, FakePrediction>();
  private readonly scriptsByPrompt = new Map<string, FakeScript>();
  private defaultScript: FakeScript = {};
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private origin = '';

  /** Results per page of GET /v1/predictions. */
  listPageSize = 100;

  static async start(): Promise<FakeReplicate> {
    const fake = new FakeReplicate();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The API base URL to give the client. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** A URL this server answers outside the API: `ok.png`, `big.png` (1 MiB), `page.html`; others 404. */
  sourceUrl(name: string): string {
    return `${this.origin}/sources/${name}`;
  }

  /** The script for every prediction whose prompt has none of its own. */
  script(script: FakeScript): void {
    this.defaultScript = script;
  }

  scriptFor(prompt: string, script: FakeScript): void {
    this.scriptsByPrompt.set(prompt, script);
  }

  /** Create requests received, answered or not. */
  creates(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /^\/v1\/(models\/[^/]+\/[^/]+\/)?predictions$/.test(r.path));
  }

  predictionIds(): string[] {
    return [...this.predictions.keys()];
  }

  status(id: string): Status | undefined {
    return this.predictions.get(id)?.status;
  }

  /** A prediction made outside the code under test (another job, an earlier day). */
  seed(seed: SeedPrediction): string {
    const prediction = this.newPrediction(seed.model ?? 'fake/versioned', seed.version ?? 'hidden', seed.input, {}, seed.createdAt);
    this.finish(prediction);
    return prediction.id;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await readJson(req);
    this.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, body });
    try {
      if (url.pathname.startsWith('/files/')) return await serveOutput(res, url.pathname, this.predictions);
      if (url.pathname.startsWith('/sources/')) return await serveSource(res, url.pathname);
      if (req.headers.authorization !== `Bearer ${this.token}`) return send(res, 401, { detail: 'You did not pass a valid authentication token' });
      this.route(req, res, url, body);
    } catch (error) {
      send(res, 500, { detail: String(error) });
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
    const path = url.pathname;
    const official = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(path);
    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    if (req.method === 'POST' && (path === '/v1/predictions' || official)) {
      return this.create(req, res, body, official ? `${official[1]}/${official[2]}` : null);
    }
    if (req.method === 'GET' && path === '/v1/predictions') return this.list(res, Number(url.searchParams.get('cursor') ?? 0));
    const prediction = one ? this.predictions.get(one[1] ?? '') : undefined;
    if (!prediction) return send(res, 404, { detail: 'Not found.' });
    if (req.method === 'POST' && one?.[2]) {
      if (!isTerminal(prediction.status)) this.end(prediction, 'canceled');
      return send(res, 200, this.json(prediction));
    }
    if (req.method === 'GET' && !one?.[2]) return this.get(res, prediction);
    send(res, 405, { detail: 'Method not allowed' });
  }

  private create(req: IncomingMessage, res: ServerResponse, body: unknown, model: string | null): void {
    const { version, input } = (body ?? {}) as { version?: unknown; input?: unknown };
    if (typeof input !== 'object' || input === null) return send(res, 422, { detail: 'input is required' });
    if (model === null && typeof version !== 'string') return send(res, 422, { detail: 'version is required' });
    const record = input as Record<string, unknown>;
    const script = this.scriptsByPrompt.get(String(record.prompt)) ?? this.defaultScript;
    if (script.createError) {
      const headers = script.createError.retryAfter ? { 'Retry-After': script.createError.retryAfter } : {};
      return send(res, script.createError.status, { detail: script.createError.detail ?? 'Request failed' }, headers);
    }
    const prediction = this.newPrediction(model ?? 'fake/versioned', model === null ? String(version) : 'hidden', record, script, new Date());
    if (script.dropCreateResponse) {
      req.socket.destroy();
      return;
    }
    send(res, 201, this.json(prediction));
  }

  private get(res: ServerResponse, prediction: FakePrediction): void {
    const { script } = prediction;
    if (prediction.getErrorsServed < (script.getErrors ?? 0)) {
      prediction.getErrorsServed++;
      return send(res, 500, { detail: 'Internal server error' });
    }
    if (!isTerminal(prediction.status)) this.advance(prediction);
    send(res, 200, this.json(prediction));
  }

  private advance(prediction: FakePrediction): void {
    const { script } = prediction;
    const polls = script.polls ?? 2;
    const total = Number(prediction.input.num_inference_steps ?? 28);
    prediction.polls++;
    if (script.outcome === 'hang' || prediction.polls < polls) {
      prediction.status = 'processing';
      const step = script.outcome === 'hang' ? Math.min(total - 1, prediction.polls) : Math.ceil((prediction.polls / polls) * total);
      if (script.logStyle !== 'none') prediction.logs.push(progressLine(script.logStyle ?? 'tqdm', step, total));
      return;
    }
    if (script.logStyle !== 'none' && script.outcome !== 'aborted') prediction.logs.push(progressLine(script.logStyle ?? 'tqdm', total, total));
    this.finish(prediction);
  }

  private finish(prediction: FakePrediction): void {
    const { script } = prediction;
    const outcome = script.outcome ?? 'succeeded';
    switch (outcome) {
      case 'succeeded': {
        const files = script.outputs ?? Array.from({ length: Number(prediction.input.num_outputs ?? 1) }, () => 'ok');
        const urls = files.map((_, n) => `${this.origin}/files/${prediction.id}/${n}.png`);
        prediction.output = script.outputAsString ? (urls[0] ?? null) : urls;
        return this.end(prediction, 'succeeded');
      }
      case 'failed':
        prediction.error = script.error ?? 'Prediction failed: CUDA error: out of memory';
        return this.end(prediction, 'failed');
      case 'nsfw':
        prediction.error = NSFW_ERROR;
        return this.end(prediction, 'failed');
      case 'canceled':
      case 'aborted':
        return this.end(prediction, outcome);
      case 'hang':
        return;
    }
  }

  private end(prediction: FakePrediction, status: Status): void {
    prediction.status = status;
    prediction.completedAt = new Date();
  }

  private list(res: ServerResponse, cursor: number): void {
    const all = [...this.predictions.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const page = all.slice(cursor, cursor + this.listPageSize);
    const next = cursor + this.listPageSize < all.length ? `${this.baseUrl}/predictions?cursor=${cursor + this.listPageSize}` : null;
    send(res, 200, { previous: null, next, results: page.map((p) => this.json(p)) });
  }

  private newPrediction(model: string, version: string, input: Record<string, unknown>, script: FakeScript, createdAt: Date): FakePrediction {
    const prediction: FakePrediction = {
      id: randomBytes(13).toString('hex'),
      model,
      version,
      input,
      createdAt,
      script,
      status: 'starting',
      polls: 0,
      getErrorsServed: 0,
      logs: [],
      output: null,
      error: null,
      completedAt: null,
    };
    this.predictions.set(prediction.id, prediction);
    return prediction;
  }

  private json(p: FakePrediction): Record<string, unknown> {
    const done = p.status === 'succeeded' || p.status === 'failed';
    return {
      id: p.id,
      model: p.model,
      version: p.version,
      input: p.input,
      logs: p.logs.join('\n'),
      output: p.output,
      error: p.error,
      status: p.status,
      source: 'api',
      data_removed: false,
      created_at: p.createdAt.toISOString(),
      started_at: p.status === 'starting' ? null : p.createdAt.toISOString(),
      completed_at: p.completedAt?.toISOString() ?? null,
      metrics: done ? { predict_time: p.script.predictTime ?? 2.5, total_time: (p.script.predictTime ?? 2.5) + 0.5 } : {},
      urls: { get: `${this.baseUrl}/predictions/${p.id}`, cancel: `${this.baseUrl}/predictions/${p.id}/cancel` },
    };
  }
}

function isTerminal(status: Status): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled' || status === 'aborted';
}
