import type { HistoryCursor, HistoryPage, LedgerHistoryReader } from './ports/ledger-history.js';

export type { HistoryCursor, HistoryPage };

export interface ShowHistoryInput {
  readonly userId: string;
  readonly guildId: string;
  /** null: the newest page. */
  readonly cursor: HistoryCursor | null;
  readonly pageSize: number;
}

/** /history: one page of the member's own ledger in this guild (with their top-ups), grouped by operation. */
export const showHistory = (deps: { readonly history: LedgerHistoryReader }, input: ShowHistoryInput): Promise<HistoryPage> =>
  deps.history.page({ userId: input.userId, guildId: input.guildId, cursor: input.cursor, limit: input.pageSize });
