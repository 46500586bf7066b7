import type { PriceCard, Tier } from '../domain/pricing/price-card-schema.js';
import { err, ok, type Result } from '../domain/result.js';
import { defaultMemberSettings, validateSettingsChange, type MemberSettings, type SettingsInput } from '../domain/settings/member-settings.js';
import { decideMemberTier } from '../domain/subscriptions/tier-sources.js';
import type { GuildSettingsStore } from './ports/guild-settings.js';
import type { MemberSettingsStore } from './ports/member-settings.js';
import type { TierSubscriptions } from './ports/tier-subscriptions.js';
import type { SpendingLimits } from './ports/spending-limits.js';
import { serverCapsFor, type SpendingCaps } from '../domain/spending/server-caps.js';

export interface ChangeMemberSettingsDeps {
  readonly memberSettings: MemberSettingsStore;
  readonly guildSettings: GuildSettingsStore;
  readonly tierSubscriptions: Pick<TierSubscriptions, 'live'>;
  /** The server's caps for the member and what they spent, shown beside their own caps. */
  readonly spendingLimits: Pick<SpendingLimits, 'serverCapRules' | 'memberSpent'>;
  readonly card: PriceCard;
  readonly now: () => Date;
}

export interface ChangeMemberSettingsInput {
  readonly userId: string;
  readonly guildId: string;
  readonly roleIds: readonly string[];
  /** What the member typed; nothing and no reset: show the settings. */
  readonly change: SettingsInput;
  /** Back to every default first, so "reset + model" means "defaults, but this model". */
  readonly reset: boolean;
}

export interface MemberSettingsView {
  /** What was done: nothing (shown), saved, or reset to every default. */
  readonly outcome: 'shown' | 'saved' | 'reset';
  readonly settings: MemberSettings;
  /** The member's tier: which models and sizes their settings may name. */
  readonly tier: Tier;
  readonly card: PriceCard;
  /** What counts against caps in this server this UTC day and month. */
  readonly spent: { readonly day: number; readonly month: number };
  /** The server's caps for this member (their own apply on top). */
  readonly serverCaps: SpendingCaps;
}

/**
 * /settings: shows the member's settings, or validates every option given first (one bad option
 * changes nothing) and saves them. Refused: the reason, in the member's words.
 */
export async function changeMemberSettings(deps: ChangeMemberSettingsDeps, input: ChangeMemberSettingsInput): Promise<Result<MemberSettingsView, string>> {
  const { card } = deps;
  const [current, roleTiers, subscriptions, capRules, spent] = await Promise.all([
    deps.memberSettings.get(input.userId, input.guildId),
    deps.guildSettings.roleTiers(input.guildId),
    deps.tierSubscriptions.live(input.userId, input.guildId, deps.now()),
    deps.spendingLimits.serverCapRules(input.guildId),
    deps.spendingLimits.memberSpent(input.userId, input.guildId),
  ]);
  const { tier } = decideMemberTier(card, { roleIds: input.roleIds, roleTiers, subscriptions });
  const serverCaps = serverCapsFor(capRules, input);
  const changing = Object.values(input.change).some((value) => value !== undefined);
  if (!changing && !input.reset) return ok({ outcome: 'shown', settings: current, tier, card, spent, serverCaps });
  const change = validateSettingsChange(card, tier, input.reset ? defaultMemberSettings : current, input.change);
  if (!change.ok) return err(change.error);
  if (input.reset) await deps.memberSettings.reset(input.userId, input.guildId);
  const settings = changing ? await deps.memberSettings.update(input.userId, input.guildId, change.value) : defaultMemberSettings;
  return ok({ outcome: changing ? 'saved' : 'reset', settings, tier, card, spent, serverCaps });
}
