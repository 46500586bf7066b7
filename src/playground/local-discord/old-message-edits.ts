// Discord caps edits of messages older than an hour: a few per channel per rolling hour, then
// 400 code 30046. A bot that keeps editing an old "progress" message hits this in production.
import type { Json } from './payloads.js';
import type { RestReply } from './rest-interactions.js';

const HOUR_MS = 60 * 60 * 1000;

const tooManyOldEdits: RestReply = {
  status: 400,
  body: { message: 'Maximum number of edits to messages older than 1 hour reached. Try again later.', code: 30046 },
};

export class OldMessageEdits {
  /** channel id → when each counted edit of an old message happened (Date.now()). */
  private readonly edits = new Map<string, number[]>();

  constructor(
    private readonly perHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Call just before applying an edit to `message`: undefined (and the edit is counted) when it may
   * go ahead, else the 30046 refusal (not counted). Messages under an hour old are never counted.
   */
  admit(message: Json): RestReply | undefined {
    const now = this.now();
    if (now - Date.parse(String(message['timestamp'])) <= HOUR_MS) return undefined;
    const channelId = String(message['channel_id']);
    const recent = (this.edits.get(channelId) ?? []).filter((at) => now - at < HOUR_MS);
    this.edits.set(channelId, recent);
    if (recent.length >= this.perHour) return tooManyOldEdits;
    recent.push(now);
    return undefined;
  }
}
