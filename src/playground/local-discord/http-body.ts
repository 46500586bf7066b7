// Decodes request bodies the way @discordjs/rest encodes them: plain JSON, or multipart/form-data
// with a `payload_json` part plus `files[n]` parts when attachments are sent.
import type { IncomingMessage } from 'node:http';

export interface RecordedFile {
  readonly field: string;
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface DecodedBody {
  readonly payload: unknown;
  readonly files: RecordedFile[];
}

const readRaw = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export const decodeBody = async (request: IncomingMessage): Promise<DecodedBody> => {
  const raw = await readRaw(request);
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return { payload: raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined, files: [] };
  }
  // Let the platform's own multipart parser do the work instead of hand-rolling boundaries.
  const form = await new Request('http://fake.local', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
  let payload: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') payload = JSON.parse(value) as unknown;
      continue;
    }
    files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
  }
  return { payload, files };
};
