import type { LotKind } from './lots.js';

/** Expected ways a ledger operation declines. Each changes nothing in the database. */
export type LedgerError =
  | { readonly code: 'insufficient_credits'; readonly needed: number; readonly available: number }
  | { readonly code: 'idempotency_key_reused'; readonly key: string }
  | { readonly code: 'hold_not_found'; readonly holdId: string }
  | {
      readonly code: 'already_settled';
      readonly holdId: string;
      readonly status: 'captured' | 'refunded';
      readonly captured: number;
      readonly refunded: number;
    }
  | { readonly code: 'invalid_input'; readonly field: string; readonly message: string }
  | { readonly code: 'nothing_to_revoke'; readonly kinds: readonly LotKind[]; readonly available: number; readonly requested: number };
