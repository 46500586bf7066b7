import type { LedgerOperation } from '../../domain/history/ledger-operation.js';

/**
 * Where a page starts: operations older than (or newer than) the one whose newest entry has this
 * id. Keyset pagination: a page never shifts when new entries arrive, and no OFFSET scan.
 */
export interface HistoryCursor {
  readonly direction: 'older' | 'newer';
  readonly entryId: string;
}

export interface HistoryQuery {
  readonly userId: string;
  /** The guild's entries plus the member's global (top-up) lines. */
  readonly guildId: string;
  /** null: the newest page. */
  readonly cursor: HistoryCursor | null;
  readonly limit: number;
}

export interface HistoryPage {
  /** Newest first. */
  readonly operations: readonly LedgerOperation[];
  readonly hasNewer: boolean;
  readonly hasOlder: boolean;
}

/** Reads a member's ledger, grouped by operation (idempotency key). */
export interface LedgerHistoryReader {
  page(query: HistoryQuery): Promise<HistoryPage>;
}
