// The side panel's credits: what /balance computes (its own use case, granting what is due today
// first), by bucket, for the person the page is playing.
import type { PriceCard } from '../domain/pricing/price-card-schema.js';
import type { GuildSettingsStore } from '../use-cases/ports/guild-settings.js';
import type { Ledger } from '../use-cases/ports/ledger.js';
import { showBalance } from '../use-cases/show-balance.js';
import type { Persona } from './playground-world.js';

/** A member's credits by bucket, as the side panel shows them. */
export interface BalanceView {
  readonly tier: string | null;
  readonly buckets: readonly { readonly kind: string; readonly label: string; readonly available: number; readonly nextExpiry: string | null }[];
  readonly held: number;
  readonly available: number;
  readonly creditsPerDollar: number;
}

/** The buckets in spending order, as /balance names them. */
const BUCKET_LABELS = { free: 'Free today', tier: 'Tier allowance', grant: 'Gifts', topup: 'Top-ups' } as const;

export function createBalancePanel(deps: { ledger: Ledger; guildSettings: GuildSettingsStore; card: PriceCard; guildId: string }) {
  return async (persona: Persona): Promise<BalanceView> => {
    const shown = await showBalance(
      { ledger: deps.ledger, guildSettings: deps.guildSettings, card: deps.card, now: () => new Date() },
      { userId: persona.userId, guildId: deps.guildId, roleIds: persona.roleIds, askerIsAdmin: persona.owner },
    );
    if (shown.kind !== 'own') throw new Error('the playground asked for its own balance');
    const { balance } = shown;
    return {
      tier: shown.tier?.name ?? null,
      buckets: (Object.keys(BUCKET_LABELS) as (keyof typeof BUCKET_LABELS)[]).map((kind) => ({
        kind,
        label: BUCKET_LABELS[kind],
        available: balance.buckets[kind].available,
        nextExpiry: balance.buckets[kind].nextExpiry?.toISOString() ?? null,
      })),
      held: balance.held,
      available: balance.available,
      creditsPerDollar: shown.creditsPerDollar,
    };
  };
}
