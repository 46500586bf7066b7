// REST routes addressed by an interaction's token: the initial callback, then webhook edits and
// followups. discord.js sends these with `auth: false`, so no Authorization header arrives here;
// the token in the path is the credential, as on the real API.
import type { RecordedFile } from './http-body.js';
import type { Json } from './payloads.js';
import type { FakeDiscordState, InteractionRecord } from './state.js';

export interface RestReply {
  readonly status: number;
  readonly body?: unknown;
}

// Real Discord error codes, so the bot's error handling sees what it would in production.
const unknownInteraction: RestReply = { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
const unknownWebhook: RestReply = { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
const unknownMessage: RestReply = { status: 404, body: { message: 'Unknown Message', code: 10008 } };
const alreadyAcknowledged: RestReply = { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
const CHAT_INPUT_COMMAND_MESSAGE = 20;

export class InteractionRoutes {
  constructor(private readonly state: FakeDiscordState) {}

  callback(interactionId: string, token: string, query: URLSearchParams, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.state.interactions.get(interactionId);
    if (!interaction || interaction.token !== token) return unknownInteraction;
    if (interaction.acknowledged) return alreadyAcknowledged;
    interaction.acknowledged = true;
    const body = (payload ?? {}) as Json;
    const type = Number(body['type']);
    const data = body['data'] as Json | undefined;
    const withResponse = query.get('with_response') === 'true';
    this.state.callbacks.push({ interactionId, token, type, data, files, withResponse, latencyMs: performance.now() - interaction.dispatchedAt });

    let message: Json | undefined;
    if (type === 4 || type === 5) {
      // A deferred reply shows as a "thinking…" message flagged LOADING until the first edit.
      const flags = (Number(data?.['flags'] ?? 0) & EPHEMERAL) | (type === 5 ? LOADING : 0);
      message = this.state.createMessage(this.originalInit(interaction), 'interaction', { ...(type === 4 ? data : {}), flags }, type === 4 ? files : []);
      interaction.originalMessageId = message['id'] as string;
    } else if (type === 7 && interaction.sourceMessageId) {
      message = this.state.editMessage(interaction.sourceMessageId, 'interaction', data, files);
    }
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interactionId,
          type: 2,
          activity_instance_id: null,
          response_message_id: message?.['id'] ?? null,
          response_message_loading: type === 5,
          response_message_ephemeral: ((Number(message?.['flags'] ?? 0)) & EPHEMERAL) !== 0,
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  getOriginal(applicationId: string, token: string): RestReply {
    const interaction = this.byToken(applicationId, token);
    if (!interaction) return unknownWebhook;
    const message = interaction.originalMessageId ? this.state.storedMessages.get(interaction.originalMessageId) : undefined;
    return message ? { status: 200, body: message } : unknownMessage;
  }

  editMessage(applicationId: string, token: string, messageId: string, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.byToken(applicationId, token);
    if (!interaction) return unknownWebhook;
    const isOriginal = messageId === '@original';
    const targetId = isOriginal ? interaction.originalMessageId : messageId;
    if (!targetId || !this.state.storedMessages.has(targetId)) return unknownMessage;
    const body = { ...((payload ?? {}) as Json) };
    const message = this.state.editMessage(targetId, 'interaction', this.clearLoading(targetId, body), files)!;
    this.record(interaction, isOriginal ? 'edit-original' : 'edit-followup', targetId, payload, files);
    return { status: 200, body: message };
  }

  deleteOriginal(applicationId: string, token: string): RestReply {
    const interaction = this.byToken(applicationId, token);
    if (!interaction) return unknownWebhook;
    if (!interaction.originalMessageId || !this.state.deleteMessage(interaction.originalMessageId, 'interaction')) return unknownMessage;
    this.record(interaction, 'delete-original', interaction.originalMessageId, undefined, []);
    return { status: 204 };
  }

  followup(applicationId: string, token: string, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.byToken(applicationId, token);
    if (!interaction) return unknownWebhook;
    const body = (payload ?? {}) as Json;
    const original = interaction.originalMessageId ? this.state.storedMessages.get(interaction.originalMessageId) : undefined;
    // As on the real API, the first followup after a deferred reply replaces the "thinking…" message.
    if (original && (Number(original['flags']) & LOADING) !== 0) {
      const message = this.state.editMessage(original['id'] as string, 'interaction', this.clearLoading(original['id'] as string, { ...body }), files)!;
      this.record(interaction, 'followup', message['id'] as string, payload, files);
      return { status: 200, body: message };
    }
    const init = { ...this.originalInit(interaction), type: 0 };
    const message = this.state.createMessage(init, 'interaction', { ...body, flags: Number(body['flags'] ?? 0) & EPHEMERAL }, files);
    this.record(interaction, 'followup', message['id'] as string, payload, files);
    return { status: 200, body: message };
  }

  private byToken(applicationId: string, token: string): InteractionRecord | undefined {
    return applicationId === this.state.botUser.id ? this.state.interactionsByToken.get(token) : undefined;
  }

  private originalInit(interaction: InteractionRecord) {
    return {
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      author: this.state.botUser,
      webhookId: this.state.botUser.id,
      type: interaction.sourceMessageId ? 0 : CHAT_INPUT_COMMAND_MESSAGE,
    };
  }

  /** Editing a loading message resolves it; ephemerality is fixed at creation and cannot change. */
  private clearLoading(messageId: string, body: Json): Json {
    const current = Number(this.state.storedMessages.get(messageId)?.['flags'] ?? 0);
    if ((current & LOADING) === 0) return body;
    return { ...body, flags: current & EPHEMERAL };
  }

  private record(interaction: InteractionRecord, kind: 'edit-original' | 'delete-original' | 'followup' | 'edit-followup', messageId: string, payload: unknown, files: RecordedFile[]): void {
    interaction.webhookCalls.push({ kind, token: interaction.token, messageId, payload: payload as Json | undefined, files, msSinceDispatch: performance.now() - interaction.dispatchedAt });
  }
}
