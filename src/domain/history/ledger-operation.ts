import type { LotKind } from '../credits/lots.js';

/** One ledger line as /history needs it: which bucket moved, by how much, and what was reserved. */
export interface LedgerLine {
  readonly kind: 'grant' | 'hold' | 'capture' | 'refund' | 'expire' | 'revoke';
  readonly lotKind: LotKind;
  /** Change to what the member can spend. */
  readonly deltaAvailable: number;
  /** Change to what is reserved in a hold. */
  readonly deltaHeld: number;
}

/** The image job behind a hold or settlement, when there is one. */
export interface OperationJob {
  readonly model: string;
  readonly operation: string;
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly status: string;
  readonly guildId: string;
}

/**
 * Every line written under one idempotency key: one thing that happened to the member's credits
 * (a grant, a job's hold, its settlement, an expiry…).
 */
export interface LedgerOperation {
  readonly key: string;
  /** The id of its newest line: the operation's place in the keyset pagination. */
  readonly lastEntryId: string;
  readonly at: Date;
  readonly actorId: string;
  readonly reason: string | null;
  readonly lines: readonly LedgerLine[];
  /** For a grant: the lot it created (tier lots carry their tier and period). */
  readonly lot: { readonly tierName: string | null; readonly periodKey: string | null } | null;
  readonly job: OperationJob | null;
}

/** One row of /history, in the member's words. */
export interface HistoryRow {
  readonly what: string;
  /** The change to spendable credits (negative when credits left the member's balance). */
  readonly credits: number;
  /** Held credits that became spent (a delivered job's capture), shown beside `credits`. */
  readonly charged: number;
  readonly buckets: readonly LotKind[];
  readonly at: Date;
  readonly why: string | null;
}

export const bucketLabels: Readonly<Record<LotKind, string>> = { free: 'free', tier: 'tier', grant: 'gifts', topup: 'top-ups' };

const sum = (lines: readonly LedgerLine[], pick: (line: LedgerLine) => number): number => lines.reduce((total, line) => total + pick(line), 0);

const jobLabel = (job: OperationJob | null, viewerGuildId: string): string => {
  if (!job) return 'Credits held';
  const operation = job.operation === 'txt2img' ? '' : ` ${job.operation}`;
  const elsewhere = job.guildId === viewerGuildId ? '' : ' (in another server)';
  return `Image job: ${job.count}× ${job.model}${operation} ${job.width}×${job.height}${elsewhere}`;
};

const jobState: Readonly<Record<string, string>> = {
  queued: 'held while it waits in the queue',
  running: 'held while it runs',
  succeeded: 'all images delivered',
  partial: 'some images delivered',
  failed: 'nothing delivered',
};

/** "refund: safety filter" → "safety filter"; "delivered 1 of 2 image(s); refund: timeout" → "timeout (delivered 1 of 2)". */
function refundReason(reason: string | null): string {
  if (!reason) return 'nothing delivered';
  const partial = /^delivered (\d+ of \d+) image\(s\); refund: (.*)$/.exec(reason);
  if (partial) return `${partial[2]} (delivered ${partial[1]})`;
  return reason.replace(/^refund: /, '');
}

function describeGrant(op: LedgerOperation, lotKind: LotKind): Pick<HistoryRow, 'what' | 'why'> {
  switch (lotKind) {
    case 'free':
      return { what: 'Free daily credits', why: op.reason };
    case 'tier': {
      const upgrade = op.reason?.includes('upgrade') ? 'Tier upgrade difference' : 'Tier allowance';
      return { what: `${upgrade} (${op.lot?.tierName ?? 'tier'}, ${op.lot?.periodKey ?? 'this period'})`, why: null };
    }
    case 'topup': {
      // Purchases record "bought <pack> (…)"; show the pack, keep the whole reason as the why.
      const pack = op.reason ? /^bought (.+?)(?: \(|$)/.exec(op.reason)?.[1] : undefined;
      return { what: `Top-up: ${pack ?? 'credits bought'}`, why: op.reason };
    }
    case 'grant':
      return { what: op.actorId === 'system' ? 'Gift' : `Admin grant by <@${op.actorId}>`, why: op.reason };
  }
}

/** Turns one operation's lines into one readable row (what, how much, which buckets, why). */
export function describeOperation(op: LedgerOperation, viewerGuildId: string): HistoryRow {
  const namespace = op.key.slice(0, op.key.indexOf(':'));
  const credits = sum(op.lines, (line) => line.deltaAvailable);
  const charged = -sum(
    op.lines.filter((line) => line.kind === 'capture'),
    (line) => line.deltaHeld,
  );
  const buckets = [...new Set(op.lines.map((line) => line.lotKind))];
  const base = { credits, charged, buckets, at: op.at };
  const firstKind = op.lines[0]?.lotKind ?? 'grant';
  switch (namespace) {
    case 'grant':
      return { ...base, ...describeGrant(op, firstKind) };
    case 'hold':
      return {
        ...base,
        what: jobLabel(op.job, viewerGuildId),
        why: op.job ? `held when you pressed Generate; ${jobState[op.job.status] ?? op.job.status}` : op.reason,
      };
    case 'settle':
      if (credits > 0) return { ...base, what: `Refund: ${refundReason(op.reason)}`, why: op.job ? jobLabel(op.job, viewerGuildId) : null };
      return {
        ...base,
        what: `Charged: ${op.reason ?? 'images delivered'}`,
        why: op.job ? `${jobLabel(op.job, viewerGuildId)}; held credits spent` : 'held credits spent',
      };
    case 'expire':
      return { ...base, what: 'Expired', why: 'unspent credits reached their expiry' };
    case 'revoke':
      return { ...base, what: op.actorId === 'system' ? 'Removed' : `Removed by <@${op.actorId}>`, why: op.reason };
    case 'reverse':
      // A purchase taken back because its payment was refunded or disputed, or given back when
      // the seller won the dispute (src/use-cases/reverse-card-payment.ts).
      return { ...base, what: credits > 0 ? 'Given back: card dispute settled for the seller' : 'Taken back: payment reversed', why: op.reason };
    default:
      return { ...base, what: op.reason ?? 'Ledger entry', why: null };
  }
}
