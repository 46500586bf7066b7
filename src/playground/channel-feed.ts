// What each person on the page sees of the local Discord: the channel's messages and the bot's
// direct messages to them, as Discord's client shows them — an ephemeral message only to the
// member whose interaction it answers ("Only you can see this"), a DM only to its recipient —
// and every later create, edit and delete as it happens, for the page's live stream.
import type { FakeDiscord, InteractionHandle, Json, RecordedMessage } from './local-discord/fake-discord.js';
import { PERSONAS, type Persona } from './playground-world.js';

const EPHEMERAL = 1 << 6;

/** One message as the page renders it: Discord's own message fields, plus who it is for. */
export interface MessageView {
  readonly id: string;
  readonly place: 'channel' | 'dm';
  readonly author: string;
  readonly bot: boolean;
  readonly timestamp: string;
  readonly edited: boolean;
  readonly ephemeral: boolean;
  readonly content: string;
  readonly embeds: readonly Json[];
  readonly components: readonly Json[];
  readonly attachments: readonly { readonly url: string; readonly filename: string; readonly contentType: string }[];
  /** "sam used /imagine": the interaction this message answers, if one of the page's people sent it. */
  readonly interaction?: { readonly username: string; readonly label: string };
}

export type FeedEvent = { readonly kind: 'upsert'; readonly message: MessageView } | { readonly kind: 'delete'; readonly id: string };

interface SentInteraction {
  readonly handle: InteractionHandle;
  readonly persona: Persona;
  /** What the page shows above the answer: `/imagine`, or the button's label. */
  readonly label: string;
}

export class ChannelFeed {
  private readonly sent: SentInteraction[] = [];
  private readonly listeners = new Set<(persona: Persona, event: FeedEvent) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly discord: FakeDiscord,
    private readonly channelId: string,
  ) {
    // After the REST call that wrote the message has recorded its webhook call too (same tick),
    // so an ephemeral follow-up's owner is known when its view is made.
    this.unsubscribe = discord.onMessage((record) => setImmediate(() => this.publish(record)));
  }

  /** Remembers who sent an interaction, so its answers are shown to them (and labelled). */
  track(handle: InteractionHandle, persona: Persona, label: string): void {
    this.sent.push({ handle, persona, label });
    // Memory stays bounded in a long session: the oldest interactions are forgotten, and their
    // ephemeral answers (whose owner is then unknown) show to nobody, as they would have expired on Discord.
    if (this.sent.length > 2_000) this.sent.splice(0, this.sent.length - 2_000);
  }

  /** Calls `listener` for every change, once per person who can see it. */
  subscribe(listener: (persona: Persona, event: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The messages `persona` sees now, oldest first. */
  visibleTo(persona: Persona): MessageView[] {
    const seen = new Set<string>();
    const views: MessageView[] = [];
    for (const record of this.discord.messages) {
      if (record.action !== 'create' || seen.has(record.messageId)) continue;
      seen.add(record.messageId);
      const current = this.discord.message(record.messageId);
      if (!current) continue;
      const view = this.viewFor(persona, record.messageId, current);
      if (view) views.push(view);
    }
    return views;
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private publish(record: RecordedMessage): void {
    for (const persona of PERSONAS) {
      let event: FeedEvent | undefined;
      if (record.action === 'delete') {
        if (this.viewFor(persona, record.messageId, record.message)) event = { kind: 'delete', id: record.messageId };
      } else {
        const current = this.discord.message(record.messageId);
        const view = current ? this.viewFor(persona, record.messageId, current) : undefined;
        if (view) event = { kind: 'upsert', message: view };
      }
      if (event) for (const listener of this.listeners) listener(persona, event);
    }
  }

  private viewFor(persona: Persona, id: string, message: Json): MessageView | undefined {
    const channelId = message['channel_id'] as string;
    const inChannel = channelId === this.channelId;
    const isDmToPersona = !inChannel && this.discord.directMessages(persona.userId).some((dm) => dm.messageId === id);
    if (!inChannel && !isDmToPersona) return undefined;
    const ephemeral = (Number(message['flags'] ?? 0) & EPHEMERAL) !== 0;
    const source = this.sent.find(({ handle }) => handle.originalMessage()?.['id'] === id || handle.webhookCalls().some((call) => call.messageId === id));
    if (ephemeral && source?.persona.key !== persona.key) return undefined;
    const author = message['author'] as Json;
    return {
      id,
      place: inChannel ? 'channel' : 'dm',
      author: String(author['username'] ?? 'unknown'),
      bot: author['bot'] === true,
      timestamp: String(message['timestamp']),
      edited: message['edited_timestamp'] !== null && message['edited_timestamp'] !== undefined,
      ephemeral,
      content: String(message['content'] ?? ''),
      embeds: (message['embeds'] as Json[] | undefined) ?? [],
      components: (message['components'] as Json[] | undefined) ?? [],
      attachments: ((message['attachments'] as Json[] | undefined) ?? []).map((attachment) => ({
        // Served by the page's own origin (it relays the local Discord's CDN), one port for the browser.
        url: `/attachments/${String(attachment['id'])}/${encodeURIComponent(String(attachment['filename']))}`,
        filename: String(attachment['filename']),
        contentType: String(attachment['content_type'] ?? ''),
      })),
      ...(source ? { interaction: { username: source.persona.username, label: source.label } } : {}),
    };
  }
}
