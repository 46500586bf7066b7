// What the member sees as the bot's answer to one interaction, however the bot got there: an
// immediate reply/update is the callback itself; after a defer (5, 6) it is the first webhook
// call that writes the message (an edit of @original, or a follow-up).
import type { Json } from './payloads.js';
import type { Recorder } from './recorder.js';
import { EPHEMERAL, type RecordedCallback, type RecordedWebhookCall } from './state.js';

export interface InteractionAnswer {
  /** The callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  readonly type: number;
  /** The answer's message data; `flags` includes 64 when the message the member sees is ephemeral. */
  readonly data: Json | undefined;
}

const DEFERRED = new Set([5, 6]);
const WRITES: ReadonlySet<RecordedWebhookCall['kind']> = new Set(['edit-original', 'followup']);

export const waitForAnswer = async (
  callback: (timeoutMs: number) => Promise<RecordedCallback>,
  webhookCalls: Recorder<RecordedWebhookCall>,
  timeoutMs: number,
  interactionId: string,
): Promise<InteractionAnswer> => {
  const deadline = performance.now() + timeoutMs;
  const { type, data } = await callback(timeoutMs);
  if (!DEFERRED.has(type)) return { type, data };
  const remaining = Math.max(0, deadline - performance.now());
  const call = await webhookCalls.waitFor((candidate) => WRITES.has(candidate.kind), remaining, `the answer after deferring interaction ${interactionId}`);
  // A deferred ephemeral reply is edited with a payload that has no flags: the bit comes from the message.
  const payload = call.payload ?? {};
  const hasFlags = payload['flags'] !== undefined || call.ephemeral;
  const flags = (Number(payload['flags'] ?? 0) & ~EPHEMERAL) | (call.ephemeral ? EPHEMERAL : 0);
  return { type, data: hasFlags ? { ...payload, flags } : { ...payload } };
};
