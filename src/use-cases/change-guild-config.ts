import { freeDailyCeiling, type GrantPolicy } from '../domain/admin/grant-policy.js';
import type { ConfigChangeRefusal, GuildConfigChange } from '../domain/guild-config.js';
import { err, ok, type Result } from '../domain/result.js';
import type { ConfigUpdate } from './ports/guild-settings.js';
import { guildConfigDefaults, type GuildConfigDefaults, type GuildConfigDeps } from './show-guild-config.js';

export interface ChangeGuildConfigInput {
  readonly guildId: string;
  readonly actorId: string;
  readonly change: GuildConfigChange;
  readonly reason?: string | undefined;
}

export type ChangeGuildConfigRefusal =
  /** Free credits cost the operator money: above the ceiling only where the operator allows. */
  { readonly code: 'over_free_daily_ceiling'; readonly ceiling: number } | ConfigChangeRefusal;

/**
 * /admin config …: one change to the guild's settings, validated, then written with its audit
 * entry (who, old → new, why) in one transaction. A refused change writes nothing.
 */
export async function changeGuildConfig(
  deps: GuildConfigDeps & { readonly grantPolicy: GrantPolicy },
  input: ChangeGuildConfigInput,
): Promise<Result<ConfigUpdate & { readonly defaults: GuildConfigDefaults }, ChangeGuildConfigRefusal>> {
  const ceiling = freeDailyCeiling(deps.grantPolicy, deps.card);
  const { change } = input;
  if (change.kind === 'free-daily' && change.amount !== null && change.amount > ceiling) return err({ code: 'over_free_daily_ceiling', ceiling });
  const updated = await deps.guildSettings.updateConfig(input.guildId, change, input.actorId, input.reason);
  return updated.ok ? ok({ ...updated.value, defaults: guildConfigDefaults(deps) }) : updated;
}
