// /admin credits grant|revoke. Grants create credits from nothing, so who may grant (and how many)
// is the operator's call (domain/admin/grant-policy); the cap and the once-per-interaction rule
// are enforced in the database. Revokes take back only unspent gifts.
import { time, TimestampStyles, userMention, type User } from 'discord.js';
import { grantPermission, maxCreditsPerGrant } from '../../../domain/admin/grant-policy.js';
import { assertNever } from '../../../domain/result.js';
import type { BotDeps } from '../../bot-deps.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

const dayMs = 24 * 60 * 60 * 1000;
const maxExpiryDays = 3650;

/** The member and amount options, refused (with a reply) when they cannot be right. */
async function memberAndAmount(interaction: AdminInteraction): Promise<{ member: User; amount: number } | undefined> {
  const member = interaction.options.getUser('member', true);
  const amount = interaction.options.getInteger('amount', true);
  if (member.bot) {
    await replyPrivately(interaction, `${userMention(member.id)} is a bot; bots hold no credits. Nothing changed.`);
    return undefined;
  }
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > maxCreditsPerGrant) {
    await replyPrivately(interaction, `The amount must be a whole number from 1 to ${maxCreditsPerGrant.toLocaleString('en-US')} (got ${amount}). Nothing changed.`);
    return undefined;
  }
  return { member, amount };
}

async function grant(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const permission = grantPermission(deps.grantPolicy, interaction.user.id);
  if (!permission.allowed) {
    await replyPrivately(interaction, 'Creating credits is reserved to the bot’s operators here: they have not allowed server admins to grant. You can still revoke gifted credits. Nothing changed.');
    return;
  }
  const chosen = await memberAndAmount(interaction);
  if (!chosen) return;
  const { member, amount } = chosen;
  const days = interaction.options.getInteger('expires-in-days');
  if (days !== null && (days < 1 || days > maxExpiryDays)) {
    await replyPrivately(interaction, `expires-in-days must be from 1 to ${maxExpiryDays}, or left out for credits that never expire. Nothing changed.`);
    return;
  }
  const { dailyCap } = permission;
  const granted = await deps.adminCredits.grant({
    interactionId: interaction.id, userId: member.id, guildId: interaction.guildId, amount,
    expiresAt: days === null ? null : new Date(deps.now().getTime() + days * dayMs),
    actorId: interaction.user.id, reason: interaction.options.getString('reason') ?? 'admin grant',
    dailyCap, uncappedActorIds: deps.grantPolicy.ownerIds,
  });
  if (!granted.ok) {
    const error = granted.error;
    if (error.code === 'over_daily_cap') {
      const left = Math.max(0, error.cap - error.grantedToday);
      await replyPrivately(interaction, `That is over the daily cap: server admins may gift ${userMention(member.id)} at most **${error.cap}** credits a day. **${error.grantedToday}** were gifted today, so **${left}** are left. Nothing changed.`);
      return;
    }
    deps.log.warn({ error, interactionId: interaction.id }, 'admin grant refused by the ledger');
    await replyPrivately(interaction, `The ledger refused that grant (${error.code}). Nothing changed.`);
    return;
  }
  const value = granted.value;
  const expiry = value.expiresAt ? `expire ${time(value.expiresAt, TimestampStyles.RelativeTime)}` : 'never expire';
  switch (value.outcome) {
    case 'replayed':
      await replyPrivately(interaction, `This grant was already made (**${value.amount}** credits to ${userMention(member.id)}); nothing more was granted.`);
      return;
    case 'granted': {
      const capNote = dailyCap === null || value.grantedToday === null ? '' : ` Gifted to them today: ${value.grantedToday} of ${dailyCap}.`;
      await replyPrivately(interaction, `Gifted **${value.amount}** credits to ${userMention(member.id)} in this server; they ${expiry}.${capNote}`);
      return;
    }
    default:
      assertNever(value);
  }
}

async function revoke(interaction: AdminInteraction, deps: BotDeps): Promise<void> {
  const chosen = await memberAndAmount(interaction);
  if (!chosen) return;
  const { member, amount } = chosen;
  const revoked = await deps.ledger.revoke({
    key: `admin-revoke:${interaction.id}`, userId: member.id, guildId: interaction.guildId, amount,
    // Only gifts: free and tier credits come from the server's settings, top-ups were paid for.
    kinds: ['grant'], actorId: interaction.user.id, reason: interaction.options.getString('reason', true),
  });
  if (!revoked.ok) {
    const error = revoked.error;
    if (error.code === 'nothing_to_revoke') {
      await replyPrivately(interaction, `${userMention(member.id)} has only **${error.available}** unspent gifted credits in this server, so you can revoke at most **${error.available}**. (Free, tier and purchased credits are never revoked.) Nothing changed.`);
      return;
    }
    deps.log.warn({ error, interactionId: interaction.id }, 'admin revoke refused by the ledger');
    await replyPrivately(interaction, `The ledger refused that revoke (${error.code}). Nothing changed.`);
    return;
  }
  await replyPrivately(interaction, revoked.value.replayed
    ? `This revoke was already done (**${revoked.value.revoked}** credits); nothing more was taken.`
    : `Took back **${revoked.value.revoked}** gifted credits from ${userMention(member.id)}.`);
}

export const creditsSubcommands = { grant, revoke } as const;
