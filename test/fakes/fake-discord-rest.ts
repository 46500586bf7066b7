// A local stand-in for the part of Discord's REST API the worker uses: creating and editing
// channel messages, with multipart attachments exactly as @discordjs/rest sends them. Keeps each
// message as last written (an edit replaces its content and attachments).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PostedMessage {
  readonly channelId: string;
  content: string | undefined;
  allowedMentions: unknown;
  files: { readonly name: string; readonly bytes: number; readonly contentType: string }[];
  /** How many times the message was edited after it was posted. */
  edits: number;
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export class FakeDiscordRest {
  readonly messages: PostedMessage[] = [];
  /** Shaped like a real bot token (the configuration refuses anything shorter). */
  readonly token = 'MTEwMDAwMDAwMDAwMDAwMDAwMA.FakeID.fake-signature-for-local-tests-only_xx';
  /** Channels that answer 403 Missing Access, as a channel the bot cannot post in does. */
  readonly forbiddenChannels = new Set<string>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeDiscordRest> {
    const server = createServer();
    const fake = new FakeDiscordRest(server);
    server.on('request', (request: IncomingMessage, response) => {
      void fake.handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (request.headers.authorization !== `Bot ${this.token}`) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    const match = /^\/api\/v10\/channels\/(\d+|[\w-]+)\/messages(?:\/(\d+))?$/.exec(request.url ?? '');
    const editing = request.method === 'PATCH' && match?.[2] !== undefined;
    if (!match || !(editing || (request.method === 'POST' && match[2] === undefined))) return { status: 404, body: { message: 'Unknown route', code: 0 } };
    const channelId = match[1]!;
    const existing = editing ? this.messages[Number(match[2]) - 1] : undefined;
    if (editing && existing?.channelId !== channelId) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    if (this.forbiddenChannels.has(channelId)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    const raw = await readBody(request);
    const contentType = request.headers['content-type'] ?? '';
    let payload: Record<string, unknown> = {};
    const files: PostedMessage['files'] = [];
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://local', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
      for (const [field, value] of form.entries()) {
        if (field === 'payload_json') payload = JSON.parse(String(value)) as Record<string, unknown>;
        else if (typeof value !== 'string') files.push({ name: value.name, bytes: value.size, contentType: value.type });
      }
    } else {
      payload = JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
    }
    if (existing) {
      if (payload['content'] !== undefined) existing.content = payload['content'] as string;
      existing.allowedMentions = payload['allowed_mentions'];
      // An edit that lists attachments replaces them with what it uploads (we never keep old ones).
      if (payload['attachments'] !== undefined) existing.files = files;
      existing.edits++;
      return { status: 200, body: { id: match[2], channel_id: channelId, content: existing.content ?? '', attachments: [] } };
    }
    this.messages.push({ channelId, content: payload['content'] as string | undefined, allowedMentions: payload['allowed_mentions'], files, edits: 0 });
    return { status: 200, body: { id: String(this.messages.length), channel_id: channelId, content: payload['content'] ?? '', attachments: [] } };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
