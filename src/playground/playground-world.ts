// The playground's one server, its channel, its roles and the people you can be on the page. The
// ids are fixed so that a member's credits (kept in the playground database) are still theirs
// after a restart; the messages live in the local Discord's memory and start empty each time.
import type { Pack, Plan, PriceCard, Tier } from '../domain/pricing/price-card-schema.js';

export const PLAYGROUND_GUILD = { id: '710000000000000001', name: 'Playground server' } as const;
export const PLAYGROUND_CHANNEL = { id: '710000000000000002', name: 'art', type: 0 } as const;

/** Discord's Administrator permission bit: the owner has every permission in its server. */
export const ADMINISTRATOR = 1n << 3n;

export interface PlaygroundRole {
  readonly id: string;
  readonly name: string;
  /** The tier this role is mapped to when the playground first starts; none = the owner maps it. */
  readonly seededTier?: string;
}

/** Supporter starts mapped to the starter tier; Patron is left for the owner to map (/admin tier set). */
export const PLAYGROUND_ROLES: readonly PlaygroundRole[] = [
  { id: '710000000000000011', name: 'Supporter', seededTier: 'starter' },
  { id: '710000000000000012', name: 'Patron' },
];

export interface Persona {
  /** The page's name for this person (`?as=`). */
  readonly key: string;
  readonly userId: string;
  readonly username: string;
  /** What the picker says about them. */
  readonly description: string;
  readonly roleIds: readonly string[];
  readonly owner: boolean;
}

export const PLAYGROUND_OWNER_ID = '710000000000000101';

export const PERSONAS: readonly Persona[] = [
  { key: 'member', userId: '710000000000000102', username: 'mia', description: 'a member with no role', roleIds: [], owner: false },
  {
    key: 'supporter',
    userId: '710000000000000103',
    username: 'sam',
    description: 'a member with the Supporter role (a tier role)',
    roleIds: [PLAYGROUND_ROLES[0]!.id],
    owner: false,
  },
  {
    key: 'patron',
    userId: '710000000000000104',
    username: 'pat',
    description: 'a member with the Patron role (map it to a tier as the owner)',
    roleIds: [PLAYGROUND_ROLES[1]!.id],
    owner: false,
  },
  { key: 'owner', userId: PLAYGROUND_OWNER_ID, username: 'olive', description: 'the server owner (runs /admin)', roleIds: [], owner: true },
];

export const personaByKey = (key: unknown): Persona | undefined => PERSONAS.find((persona) => persona.key === key);

/** A member's permissions as Discord computes them for an interaction: the owner has them all. */
export const personaPermissions = (persona: Persona, everyonePermissions: string): string =>
  persona.owner ? (BigInt(everyonePermissions) | ADMINISTRATOR).toString() : everyonePermissions;

/** The local SKU the playground's store sells a pack as: fixed per pack, so a restart keeps it. */
export const playgroundSkuId = (index: number): string => `7100000000000010${String(index).padStart(2, '0')}`;

/** The local subscription SKU the playground's store sells a plan as: fixed per tier and plan. */
export const playgroundPlanSkuId = (tierIndex: number, planIndex: number): string =>
  `71000000000000${String(20 + tierIndex).padStart(2, '0')}${String(planIndex).padStart(2, '0')}`;

/**
 * The card with every pack and plan on sale in the local Discord store too (a SKU each, at the
 * card's price), so every purchase path can be tried. Only the playground's copy changes; packs
 * and plans that already have a SKU keep it.
 */
export function withPlaygroundSkus(card: PriceCard): PriceCard {
  const packs = card.packs.map((pack, index): Pack =>
    pack.discordSkuId ? pack : { ...pack, discordSkuId: playgroundSkuId(index), discordPrice: usd(pack.priceUsd) },
  );
  const tiers = card.tiers.map((tier, tierIndex): Tier => ({
    ...tier,
    plans: tier.plans.map((plan, planIndex): Plan =>
      plan.discordSkuId ? plan : { ...plan, discordSkuId: playgroundPlanSkuId(tierIndex, planIndex), discordPrice: usd(plan.priceUsd) },
    ),
  }));
  return { ...card, packs, tiers };
}

const usd = (amount: number): string => `$${amount.toFixed(2)}`;
