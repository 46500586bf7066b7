import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp from 'sharp';
import { type FakeOutputFile, OVERSIZE_BYTES } from './fake-replicate-script.js';

/** What an output file endpoint needs to know of a prediction. */
export interface OutputOwner {
  readonly status: string;
  readonly script: { readonly outputs?: readonly FakeOutputFile[] };
}

/** GET /files/{id}/{n}.png: the n-th output of a succeeded prediction, as its script says. */
export async function serveOutput(res: ServerResponse, path: string, predictions: ReadonlyMap<string, OutputOwner>): Promise<void> {
  const [, , id = '', file = ''] = path.split('/');
  const n = Number.parseInt(file, 10);
  const prediction = predictions.get(id);
  const kind: FakeOutputFile | undefined = prediction?.status === 'succeeded' ? (prediction.script.outputs?.[n] ?? 'ok') : undefined;
  switch (kind) {
    case undefined:
    case 'missing':
      return send(res, 404, { detail: 'Not found.' });
    case 'server-error':
      return send(res, 500, { detail: 'Internal server error' });
    case 'not-image':
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>not an image</html>');
      return;
    case 'oversize':
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': OVERSIZE_BYTES }).end(Buffer.alloc(OVERSIZE_BYTES));
      return;
    case 'stall':
      res.writeHead(200, { 'Content-Type': 'image/png' }).write(Buffer.alloc(64));
      return;
    case 'oversize-chunked':
      return writeChunked(res, OVERSIZE_BYTES);
    case 'ok':
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(await smallPng(n));
      return;
  }
}

export async function serveSource(res: ServerResponse, path: string): Promise<void> {
  const name = path.slice('/sources/'.length);
  const file =
    name === 'ok.png'
      ? { type: 'image/png', body: await smallPng(0) }
      : name === 'big.png'
        ? { type: 'image/png', body: Buffer.alloc(1024 * 1024) }
        : name === 'page.html'
          ? { type: 'text/html', body: Buffer.from('<html></html>') }
          : null;
  if (!file) return send(res, 404, { detail: 'Not found.' });
  // Explicit length: Node leaves it out of HEAD answers otherwise, and the CDN sends it.
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length }).end(file.body);
}

function writeChunked(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'Content-Type': 'image/png' });
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  const pump = (): void => {
    while (written < total && !res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

const pngs = new Map<number, Promise<Buffer>>();
function smallPng(n: number): Promise<Buffer> {
  let png = pngs.get(n);
  if (!png) {
    png = sharp({ create: { width: 16, height: 16, channels: 3, background: { r: (n * 70) % 256, g: 120, b: 200 } } })
      .png()
      .toBuffer();
    pngs.set(n, png);
  }
  return png;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
