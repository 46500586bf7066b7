// /admin credits grant|revoke (src/use-cases/grant-credits.ts and revoke-credits.ts have the rules):
// the options in, the outcome in words out.
import { time, TimestampStyles, userMention } from 'discord.js';
import { assertNever } from '../../../domain/result.js';
import type { LedgerError } from '../../../domain/credits/ledger-errors.js';
import type { CreditsInputProblem, GrantCreditsRefusal } from '../../../use-cases/grant-credits.js';
import type { HandlerContext } from '../../handler-context.js';
import { replyPrivately, type AdminInteraction } from './admin-reply.js';

/** The member and amount options, as the use cases take them. */
function memberAndAmount(interaction: AdminInteraction) {
  const member = interaction.options.getUser('member', true);
  return { member: { id: member.id, bot: member.bot }, amount: interaction.options.getInteger('amount', true) };
}

function inputProblemText(problem: CreditsInputProblem, memberId: string, amount: number): string {
  switch (problem.code) {
    case 'member_is_bot':
      return `${userMention(memberId)} is a bot; bots hold no credits. Nothing changed.`;
    case 'amount_out_of_range':
      return `The amount must be a whole number from 1 to ${problem.max.toLocaleString('en-US')} (got ${amount}). Nothing changed.`;
  }
}

/** Why a grant was refused, in words; null for a refusal the ledger should not have made (logged). */
function grantRefusalText(error: GrantCreditsRefusal, memberId: string, amount: number): string | null {
  switch (error.code) {
    case 'not_allowed':
      return 'Creating credits is reserved to the bot’s operators here: they have not allowed server admins to grant. You can still revoke gifted credits. Nothing changed.';
    case 'member_is_bot':
    case 'amount_out_of_range':
      return inputProblemText(error, memberId, amount);
    case 'expiry_out_of_range':
      return `expires-in-days must be from 1 to ${error.max}, or left out for credits that never expire. Nothing changed.`;
    case 'over_daily_cap':
      return `That is over the daily cap: server admins may gift ${userMention(memberId)} at most **${error.cap}** credits a day. **${error.grantedToday}** were gifted today, so **${Math.max(0, error.cap - error.grantedToday)}** are left. Nothing changed.`;
    default:
      return null;
  }
}

function revokeRefusalText(error: CreditsInputProblem | LedgerError, memberId: string, amount: number): string | null {
  switch (error.code) {
    case 'member_is_bot':
    case 'amount_out_of_range':
      return inputProblemText(error, memberId, amount);
    case 'nothing_to_revoke':
      return `${userMention(memberId)} has only **${error.available}** unspent gifted credits in this server, so you can revoke at most **${error.available}**. (Free, tier and purchased credits are never revoked.) Nothing changed.`;
    default:
      return null;
  }
}

async function grant(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const { member, amount } = memberAndAmount(interaction);
  const granted = await ctx.useCases.grantCredits({
    interactionId: interaction.id,
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    member,
    amount,
    expiresInDays: interaction.options.getInteger('expires-in-days'),
    reason: interaction.options.getString('reason') ?? 'admin grant',
  });
  if (!granted.ok) {
    const text = grantRefusalText(granted.error, member.id, amount);
    if (text === null) ctx.log.warn({ error: granted.error, interactionId: interaction.id }, 'admin grant refused by the ledger');
    await replyPrivately(interaction, text ?? `The ledger refused that grant (${granted.error.code}). Nothing changed.`);
    return;
  }
  const value = granted.value;
  switch (value.outcome) {
    case 'replayed':
      await replyPrivately(interaction, `This grant was already made (**${value.amount}** credits to ${userMention(member.id)}); nothing more was granted.`);
      return;
    case 'granted': {
      const expiry = value.expiresAt ? `expire ${time(value.expiresAt, TimestampStyles.RelativeTime)}` : 'never expire';
      const capNote = value.dailyCap === null || value.grantedToday === null ? '' : ` Gifted to them today: ${value.grantedToday} of ${value.dailyCap}.`;
      await replyPrivately(interaction, `Gifted **${value.amount}** credits to ${userMention(member.id)} in this server; they ${expiry}.${capNote}`);
      return;
    }
    default:
      assertNever(value);
  }
}

async function revoke(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  const { member, amount } = memberAndAmount(interaction);
  const revoked = await ctx.useCases.revokeCredits({
    interactionId: interaction.id,
    guildId: interaction.guildId,
    actorId: interaction.user.id,
    member,
    amount,
    reason: interaction.options.getString('reason', true),
  });
  if (!revoked.ok) {
    const text = revokeRefusalText(revoked.error, member.id, amount);
    if (text === null) ctx.log.warn({ error: revoked.error, interactionId: interaction.id }, 'admin revoke refused by the ledger');
    await replyPrivately(interaction, text ?? `The ledger refused that revoke (${revoked.error.code}). Nothing changed.`);
    return;
  }
  await replyPrivately(
    interaction,
    revoked.value.replayed
      ? `This revoke was already done (**${revoked.value.revoked}** credits); nothing more was taken.`
      : `Took back **${revoked.value.revoked}** gifted credits from ${userMention(member.id)}.`,
  );
}

export const creditsSubcommands = { grant, revoke } as const;
