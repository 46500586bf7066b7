// /admin tier set|remove|list: which roles give which price-card tier, each change audited
// (src/use-cases/set-role-tier.ts, remove-role-tier.ts and list-role-tiers.ts have the rules).
import { roleMention } from 'discord.js';
import type { ListedRoleTier } from '../../../use-cases/list-role-tiers.js';
import type { SetRoleTierRefusal } from '../../../use-cases/set-role-tier.js';
import type { HandlerContext } from '../../handler-context.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

const allowanceText = (tier: { allowance: number; period: string }) => `${tier.allowance} credits ${tier.period}`;
const everyoneText = 'Every member has @everyone, so it cannot give a tier. Pick a role only some members have.';

/** The role option: Discord resolves role options only among this guild's roles. */
function roleOption(interaction: AdminInteraction) {
  const role = interaction.options.getRole('role', true);
  return { id: role.id, name: role.name };
}

function setRefusalText(refusal: SetRoleTierRefusal, roleId: string): string {
  switch (refusal.code) {
    case 'everyone_role':
      return everyoneText;
    case 'default_tier':
      return `“${refusal.tierName}” is what members without a tier role get. To stop ${roleMention(roleId)} giving a tier, use \`/admin tier remove\`.`;
    case 'unknown_tier':
      return `The price card has no tier “${refusal.asked}”.${refusal.suggestion ? ` Did you mean **${refusal.suggestion}**?` : ''} Tiers: ${refusal.tierNames.join(', ')}. Nothing changed.`;
    case 'tier_not_allowed':
      return `**${refusal.tier.label}** gives ${allowanceText(refusal.tier)}, and the bot’s operators here have not allowed server admins to give it to a role (their GUILD_ADMIN_TIERS setting). Ask them, or pick a tier they allow. Nothing changed.`;
    case 'unchanged':
      return `${roleMention(roleId)} already gives **${refusal.tier.label}**; nothing changed.`;
  }
}

async function setTier(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const role = roleOption(interaction);
  const set = await ctx.useCases.setRoleTier({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    role,
    tierName: interaction.options.getString('tier', true),
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!set.ok) {
    await replyPrivately(interaction, setRefusalText(set.error, role.id));
    return;
  }
  const { tier, previous } = set.value;
  const was = previous ? ` (was ${previous})` : '';
  await replyPrivately(
    interaction,
    `${roleMention(role.id)} now gives **${tier.label}**${was}: ${allowanceText(tier)}, up to ${tier.maxBatch} images a batch. Members get it the next time they use the bot.`,
  );
}

async function removeTier(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const role = roleOption(interaction);
  const removed = await ctx.useCases.removeRoleTier({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    role,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!removed.ok) {
    await replyPrivately(interaction, removed.error.code === 'everyone_role' ? everyoneText : `${roleMention(role.id)} gives no tier; nothing to remove.`);
    return;
  }
  await replyPrivately(interaction, `${roleMention(role.id)} no longer gives **${removed.value}**. Members keep what was already granted until it expires.`);
}

const listLine = ({ roleId, tierName, tier, inEffect }: ListedRoleTier): string => {
  if (!tier) return `${roleMention(roleId)} → ${tierName} (no longer on the price card: gives nothing)`;
  if (!inEffect) return `${roleMention(roleId)} → ~~${tier.label}~~ (not in effect: the bot’s operators do not let server admins give this tier)`;
  return `${roleMention(roleId)} → **${tier.label}** · ${allowanceText(tier)}`;
};

async function listTiers(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  // Only a guild the bot has cached knows its full role list: then mappings of roles deleted while
  // the bot was offline are forgotten.
  const existingRoleIds = interaction.inCachedGuild() ? new Set(interaction.guild.roles.cache.keys()) : null;
  const { mappings, forgotten } = await ctx.useCases.listRoleTiers({ guildId: interaction.guildId, existingRoleIds });
  for (const { roleId, tierName } of forgotten)
    ctx.log.info({ guildId: interaction.guildId, roleId, tier: tierName }, 'tier mapping of a deleted role removed');
  const removedNote =
    forgotten.length > 0
      ? `\n\nRemoved, because the role no longer exists in Discord: ${forgotten.map(({ roleId, tierName }) => `a deleted role (${roleId}) gave ${tierName}`).join('; ')}.`
      : '';
  if (mappings.length === 0) {
    await replyPrivately(interaction, `No role gives a tier yet: every member is on the free daily credits. Map one with \`/admin tier set\`.${removedNote}`);
    return;
  }
  await replyPrivately(interaction, `**Tier roles** (a member with several gets the best):\n${mappings.map(listLine).join('\n')}${removedNote}`);
}

export const tierSubcommands = { set: setTier, remove: removeTier, list: listTiers } as const;
