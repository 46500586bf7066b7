// REST routes addressed by an interaction's token: the initial callback, then webhook edits and
// followups. discord.js sends these with `auth: false`, so no Authorization header arrives here;
// the token in the path is the credential, as on the real API.
// Discord's clocks apply: a callback later than the deadline (3 s) is refused with 10062 and the
// member sees "The application did not respond"; the token works only after the callback and for
// 15 minutes after the dispatch (then 401, code 50027). A bot that is slow to acknowledge, or
// edits a reply after the token expired, fails here as it would in production.
import type { RecordedFile } from './http-body.js';
import type { OldMessageEdits } from './old-message-edits.js';
import type { Json } from './payloads.js';
import { EPHEMERAL, type FakeDiscordState, type InteractionRecord, type WebhookCallKind } from './state.js';

export interface RestReply {
  readonly status: number;
  readonly body?: unknown;
  /** Extra response headers (rate-limit headers). */
  readonly headers?: Record<string, string>;
}

export interface InteractionRules {
  /** A callback arriving later than this after the dispatch answers 404 code 10062. */
  readonly deadlineMs: number;
  /** Webhook-token routes used later than this after the dispatch answer 401 code 50027. */
  readonly tokenTtlMs: number;
  readonly oldEdits: OldMessageEdits;
}

// Real Discord error codes, so the bot's error handling sees what it would in production.
const unknownInteraction: RestReply = { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
const unknownWebhook: RestReply = { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
const unknownMessage: RestReply = { status: 404, body: { message: 'Unknown Message', code: 10008 } };
const alreadyAcknowledged: RestReply = { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
const invalidWebhookToken: RestReply = { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };

const LOADING = 1 << 7;
const CHAT_INPUT_COMMAND_MESSAGE = 20;

export class InteractionRoutes {
  constructor(
    private readonly state: FakeDiscordState,
    private readonly rules: InteractionRules,
  ) {}

  callback(interactionId: string, token: string, query: URLSearchParams, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.state.interactions.get(interactionId);
    if (!interaction || interaction.token !== token) return unknownInteraction;
    if (interaction.acknowledged) return alreadyAcknowledged;
    // Too late: Discord has already told the member the application did not respond.
    if (performance.now() - interaction.dispatchedAt > this.rules.deadlineMs) return unknownInteraction;
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
          response_message_ephemeral: (Number(message?.['flags'] ?? 0) & EPHEMERAL) !== 0,
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  /** GET …/messages/@original, or a followup by id. */
  getMessage(applicationId: string, token: string, messageId: string): RestReply {
    const interaction = this.byToken(applicationId, token);
    if ('refused' in interaction) return interaction.refused;
    const targetId = messageId === '@original' ? interaction.originalMessageId : messageId;
    const message = targetId ? this.state.storedMessages.get(targetId) : undefined;
    return message ? { status: 200, body: message } : unknownMessage;
  }

  editMessage(applicationId: string, token: string, messageId: string, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.byToken(applicationId, token);
    if ('refused' in interaction) return interaction.refused;
    const isOriginal = messageId === '@original';
    const targetId = isOriginal ? interaction.originalMessageId : messageId;
    const current = targetId ? this.state.storedMessages.get(targetId) : undefined;
    if (!targetId || !current) return unknownMessage;
    const tooManyOldEdits = this.rules.oldEdits.admit(current);
    if (tooManyOldEdits) return tooManyOldEdits;
    const body = { ...((payload ?? {}) as Json) };
    const message = this.state.editMessage(targetId, 'interaction', this.clearLoading(targetId, body), files)!;
    this.record(interaction, isOriginal ? 'edit-original' : 'edit-followup', message, payload, files);
    return { status: 200, body: message };
  }

  deleteOriginal(applicationId: string, token: string): RestReply {
    const interaction = this.byToken(applicationId, token);
    if ('refused' in interaction) return interaction.refused;
    const original = interaction.originalMessageId ? this.state.storedMessages.get(interaction.originalMessageId) : undefined;
    if (!original || !this.state.deleteMessage(original['id'] as string, 'interaction')) return unknownMessage;
    this.record(interaction, 'delete-original', original, undefined, []);
    return { status: 204 };
  }

  followup(applicationId: string, token: string, payload: unknown, files: RecordedFile[]): RestReply {
    const interaction = this.byToken(applicationId, token);
    if ('refused' in interaction) return interaction.refused;
    const body = (payload ?? {}) as Json;
    const original = interaction.originalMessageId ? this.state.storedMessages.get(interaction.originalMessageId) : undefined;
    // As on the real API, the first followup after a deferred reply replaces the "thinking…" message.
    if (original && (Number(original['flags']) & LOADING) !== 0) {
      const message = this.state.editMessage(original['id'] as string, 'interaction', this.clearLoading(original['id'] as string, { ...body }), files)!;
      this.record(interaction, 'followup', message, payload, files);
      return { status: 200, body: message };
    }
    const init = { ...this.originalInit(interaction), type: 0 };
    const message = this.state.createMessage(init, 'interaction', { ...body, flags: Number(body['flags'] ?? 0) & EPHEMERAL }, files);
    this.record(interaction, 'followup', message, payload, files);
    return { status: 200, body: message };
  }

  /** The interaction whose token this is, if the token may be used now; else Discord's refusal. */
  private byToken(applicationId: string, token: string): InteractionRecord | { refused: RestReply } {
    const interaction = applicationId === this.state.botUser.id ? this.state.interactionsByToken.get(token) : undefined;
    if (!interaction) return { refused: unknownWebhook };
    if (performance.now() - interaction.dispatchedAt > this.rules.tokenTtlMs) return { refused: invalidWebhookToken };
    // The webhook exists only once the interaction has been answered (reply, defer or update).
    if (!interaction.acknowledged) return { refused: unknownWebhook };
    return interaction;
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

  private record(interaction: InteractionRecord, kind: WebhookCallKind, message: Json, payload: unknown, files: RecordedFile[]): void {
    interaction.webhookCalls.push({
      kind,
      token: interaction.token,
      messageId: message['id'] as string,
      payload: payload as Json | undefined,
      files,
      msSinceDispatch: performance.now() - interaction.dispatchedAt,
      ephemeral: (Number(message['flags'] ?? 0) & EPHEMERAL) !== 0,
    });
  }
}
