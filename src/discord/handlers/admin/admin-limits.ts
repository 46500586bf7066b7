// /admin caps … and /admin budget …: options in, the use case's outcome in words out.
import { channelMention } from 'discord.js';
import { capProblemText } from '../../../domain/spending/caps.js';
import { budgetMaximum, formatBudgetAmount } from '../../../domain/spending/budget.js';
import type { SetServerBudgetRefusal } from '../../../use-cases/set-server-budget.js';
import type { SetSpendingCapRefusal } from '../../../use-cases/set-spending-cap.js';
import type { HandlerContext } from '../../handler-context.js';
import { budgetText, capRuleText, capsListText } from '../../render/spending-limits-reply.js';
import { replyPrivately, type AdminHandler, type AdminInteraction } from './admin-reply.js';

function capRefusalText(refusal: SetSpendingCapRefusal): string {
  if (refusal.code === 'nothing_given') return 'Give a daily or a monthly cap (a number of credits, or "off"). Nothing changed.';
  return `${capProblemText(refusal.period === 'daily' ? 'The daily cap' : 'The monthly cap', refusal.problem)} Nothing changed.`;
}

async function setCap(interaction: AdminInteraction, ctx: HandlerContext, kind: 'member' | 'role'): Promise<void> {
  const subjectId = kind === 'member' ? interaction.options.getUser('member', true).id : interaction.options.getRole('role', true).id;
  const changed = await ctx.useCases.setSpendingCap({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    kind,
    subjectId,
    daily: interaction.options.getString('daily') ?? undefined,
    monthly: interaction.options.getString('monthly') ?? undefined,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!changed.ok) {
    await replyPrivately(interaction, capRefusalText(changed.error));
    return;
  }
  await replyPrivately(interaction, `Saved — ${capRuleText(changed.value, interaction.guildId)}. It applies from the next confirmation.`);
}

const capsList: AdminHandler = async (interaction, ctx) => {
  await replyPrivately(interaction, capsListText(await ctx.useCases.showSpendingLimits({ guildId: interaction.guildId }), interaction.guildId));
};

const capsRemove: AdminHandler = async (interaction, ctx) => {
  const member = interaction.options.getUser('member');
  const role = interaction.options.getRole('role');
  if ((member === null) === (role === null)) {
    await replyPrivately(interaction, 'Name one member or one role whose caps to remove. Nothing changed.');
    return;
  }
  const subject = member ? { kind: 'member' as const, subjectId: member.id } : { kind: 'role' as const, subjectId: role!.id };
  const removed = await ctx.useCases.removeSpendingCap({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    ...subject,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  const who = capRuleText({ ...subject, daily: 0, monthly: 0 }, interaction.guildId).split(':')[0]!;
  await replyPrivately(interaction, removed ? `Removed the caps of ${who}.` : `${who} had no caps here. Nothing changed.`);
};

export const capsSubcommands: Readonly<Record<string, AdminHandler>> = {
  member: (interaction, ctx) => setCap(interaction, ctx, 'member'),
  role: (interaction, ctx) => setCap(interaction, ctx, 'role'),
  remove: capsRemove,
  list: capsList,
};

function budgetRefusalText(refusal: SetServerBudgetRefusal): string {
  switch (refusal.code) {
    case 'not_owner':
      return 'The budget is set by the bot’s operator (or by the server’s owner, where the operator allows it). You can see it with /admin budget show and choose where alerts go with /admin budget alerts. Nothing changed.';
    case 'owners_not_allowed':
      return 'The bot’s operator has not allowed server owners to set budgets here; ask them. Nothing changed.';
    case 'operator_set':
      return 'The bot’s operator set this server’s budget, so only they can change it. Nothing changed.';
    case 'bad_amount':
      if (refusal.problem.code === 'too_large')
        return `That is more than the largest budget the bot accepts (${formatBudgetAmount('credits', budgetMaximum.credits)} or ${formatBudgetAmount('usd', budgetMaximum.usd)} a month). Nothing changed.`;
      return 'The amount must be a whole number of credits above 0 (e.g. 5000) or dollars (e.g. $25 or 12.50 usd). Nothing changed.';
  }
}

async function setBudget(interaction: AdminInteraction, ctx: HandlerContext, amount: string | null): Promise<void> {
  const changed = await ctx.useCases.setServerBudget({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    guildOwnerId: interaction.inCachedGuild() ? interaction.guild.ownerId : (interaction.client.guilds.cache.get(interaction.guildId)?.ownerId ?? null),
    amount,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!changed.ok) {
    await replyPrivately(interaction, budgetRefusalText(changed.error));
    return;
  }
  const { budget } = changed.value;
  await replyPrivately(
    interaction,
    budget === null
      ? 'The monthly budget is removed.'
      : `The monthly budget is now ${formatBudgetAmount(budget.unit, budget.monthly)}. Every confirmation checks it; admins are told at 80% and 100%.`,
  );
}

const budgetAlerts: AdminHandler = async (interaction, ctx) => {
  const channel = interaction.options.getChannel('channel');
  const changed = await ctx.useCases.setBudgetAlertChannel({
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    channelId: channel?.id ?? null,
    reason: interaction.options.getString('reason') ?? undefined,
  });
  if (!changed.ok) {
    await replyPrivately(
      interaction,
      changed.error.code === 'not_in_guild'
        ? `${channelMention(channel!.id)} is not a channel of this server. Nothing changed.`
        : `I cannot post in ${channelMention(channel!.id)}: give me View Channel and Send Messages there, or pick another channel. Nothing changed.`,
    );
    return;
  }
  await replyPrivately(
    interaction,
    changed.value.channelId === null
      ? 'Budget alerts will go to the server owner by DM.'
      : `Budget alerts will be posted in ${channelMention(changed.value.channelId)}.`,
  );
};

export const budgetSubcommands: Readonly<Record<string, AdminHandler>> = {
  show: async (interaction, ctx) => {
    await replyPrivately(interaction, budgetText(await ctx.useCases.showSpendingLimits({ guildId: interaction.guildId })));
  },
  set: (interaction, ctx) => setBudget(interaction, ctx, interaction.options.getString('amount', true)),
  clear: (interaction, ctx) => setBudget(interaction, ctx, null),
  alerts: budgetAlerts,
};
