// /admin tier set|remove|list: which roles give which price-card tier, each change audited.
import { roleMention } from 'discord.js';
import { closestName } from '../../../domain/admin/closest-name.js';
import { mayGiveTier } from '../../../domain/admin/grant-policy.js';
import { findTier, noTier } from '../../../domain/tiers.js';
import type { BotDeps } from '../../bot-deps.js';
import { forgetDeletedTierRole } from '../../forget-deleted-tier-role.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

const allowanceText = (tier: { allowance: number; period: string }) => `${tier.allowance} credits ${tier.period}`;

/** The role's mapping as made, whoever made it and whether it is in effect. */
const mappingOf = async (deps: BotDeps, guildId: string, roleId: string) =>
  (await deps.guildSettings.roleTierMappings(guildId)).find((mapping) => mapping.roleId === roleId);

/**
 * The role option, refused (with a reply) when it is @everyone. Discord resolves role options
 * only among this guild's roles, so the role is this guild's.
 */
async function tierRole(interaction: AdminInteraction): Promise<{ id: string; name: string } | undefined> {
  const role = interaction.options.getRole('role', true);
  if (role.id === interaction.guildId) {
    await replyPrivately(interaction, 'Every member has @everyone, so it cannot give a tier. Pick a role only some members have.');
    return undefined;
  }
  return { id: role.id, name: role.name };
}

async function setTier(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const role = await tierRole(interaction);
  if (!role) return;
  const wanted = interaction.options.getString('tier', true).trim().toLowerCase();
  const none = noTier(deps.card).name;
  const tierNames = deps.card.tiers.map((t) => t.name).filter((name) => name !== none);
  if (wanted === none) {
    await replyPrivately(interaction, `“${none}” is what members without a tier role get. To stop ${roleMention(role.id)} giving a tier, use \`/admin tier remove\`.`);
    return;
  }
  const tier = findTier(deps.card, wanted);
  if (!tier) {
    const suggestion = closestName(wanted, tierNames);
    await replyPrivately(interaction, `The price card has no tier “${wanted}”.${suggestion ? ` Did you mean **${suggestion}**?` : ''} Tiers: ${tierNames.join(', ')}. Nothing changed.`);
    return;
  }
  // A tier with an allowance creates credits every period: the operator decides who may give it.
  if (!mayGiveTier(deps.grantPolicy, interaction.user.id, tier)) {
    await replyPrivately(interaction, `**${tier.label}** gives ${allowanceText(tier)}, and the bot’s operators here have not allowed server admins to give it to a role (their GUILD_ADMIN_TIERS setting). Ask them, or pick a tier they allow. Nothing changed.`);
    return;
  }
  const mapping = await mappingOf(deps, interaction.guildId, role.id);
  const previous = mapping?.tierName;
  // The same tier again changes nothing — unless the mapping was not in effect and this admin may
  // give the tier: then it is made again in their name, and is in effect from now on.
  if (previous === tier.name && mayGiveTier(deps.grantPolicy, mapping!.setBy, tier)) {
    await replyPrivately(interaction, `${roleMention(role.id)} already gives **${tier.label}**; nothing changed.`);
    return;
  }
  const reason = interaction.options.getString('reason') ?? undefined;
  // The mapping and its audit row (tier.set, from → to) commit together.
  await deps.guildSettings.setRoleTier(interaction.guildId, role.id, tier.name, interaction.user.id, { roleName: role.name, ...(reason ? { reason } : {}) });
  const was = previous ? ` (was ${previous})` : '';
  await replyPrivately(interaction, `${roleMention(role.id)} now gives **${tier.label}**${was}: ${allowanceText(tier)}, up to ${tier.maxBatch} images a batch. Members get it the next time they use the bot.`);
}

async function removeTier(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const role = await tierRole(interaction);
  if (!role) return;
  const previous = (await mappingOf(deps, interaction.guildId, role.id))?.tierName;
  const reason = interaction.options.getString('reason') ?? undefined;
  // The removal and its audit row (tier.remove) commit together.
  if (previous === undefined || !(await deps.guildSettings.removeRoleTier(interaction.guildId, role.id, { actorId: interaction.user.id, roleName: role.name, ...(reason ? { reason } : {}) }))) {
    await replyPrivately(interaction, `${roleMention(role.id)} gives no tier; nothing to remove.`);
    return;
  }
  await replyPrivately(interaction, `${roleMention(role.id)} no longer gives **${previous}**. Members keep what was already granted until it expires.`);
}

async function listTiers(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  let mappings = await deps.guildSettings.roleTierMappings(interaction.guildId);
  // Roles deleted while the bot was offline (it forgets the ones it sees deleted): only a guild
  // the bot has cached knows its full role list.
  const forgotten: string[] = [];
  const roles = interaction.inCachedGuild() ? interaction.guild.roles.cache : null;
  if (roles !== null) {
    for (const { roleId, tierName } of mappings) {
      if (!roles.has(roleId) && (await forgetDeletedTierRole(deps, interaction.guildId, { id: roleId }))) forgotten.push(`a deleted role (${roleId}) gave ${tierName}`);
    }
    if (forgotten.length > 0) mappings = await deps.guildSettings.roleTierMappings(interaction.guildId);
  }
  const removedNote = forgotten.length > 0 ? `\n\nRemoved, because the role no longer exists in Discord: ${forgotten.join('; ')}.` : '';
  if (mappings.length === 0) {
    await replyPrivately(interaction, `No role gives a tier yet: every member is on the free daily credits. Map one with \`/admin tier set\`.${removedNote}`);
    return;
  }
  const rank = (name: string) => deps.card.tiers.findIndex((t) => t.name === name);
  const lines = [...mappings].sort((a, b) => rank(b.tierName) - rank(a.tierName)).map(({ roleId, tierName, setBy }) => {
    const tier = findTier(deps.card, tierName);
    if (!tier) return `${roleMention(roleId)} → ${tierName} (no longer on the price card: gives nothing)`;
    if (!mayGiveTier(deps.grantPolicy, setBy, tier)) {
      return `${roleMention(roleId)} → ~~${tier.label}~~ (not in effect: the bot’s operators do not let server admins give this tier)`;
    }
    return `${roleMention(roleId)} → **${tier.label}** · ${allowanceText(tier)}`;
  });
  await replyPrivately(interaction, `**Tier roles** (a member with several gets the best):\n${lines.join('\n')}${removedNote}`);
}

export const tierSubcommands = { set: setTier, remove: removeTier, list: listTiers } as const;
