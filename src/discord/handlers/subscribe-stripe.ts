// The card (Stripe) buttons under /subscribe: `subscribe:card:<plan id>` makes a Checkout Session
// in subscription mode for the member who clicked; `subscribe:portal` opens Stripe's billing
// portal on their own customer, where they cancel. Both answer privately with a link button.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ButtonInteraction } from 'discord.js';
import { formatUsd } from '../../domain/pricing/format-breakdown.js';
import type { HandlerContext } from '../handler-context.js';

const maxButtonUrl = 512;
const unavailable = 'The payment service is not answering right now, and nothing was charged. Please try again in a few minutes.';
const portalUnavailable = 'The payment service is not answering right now. Please try again in a few minutes.';
const day = (date: Date): string => `<t:${Math.floor(date.getTime() / 1000)}:D>`;

/** A private answer with one link button (or the link in the text: a link button holds at most 512 characters). */
const withLink = (content: string, url: string, label: string) =>
  url.length <= maxButtonUrl
    ? { content, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel(label))] }
    : { content: `${content}\n${url}` };

const returnUrl = (interaction: ButtonInteraction<'cached' | 'raw'>) => `https://discord.com/channels/${interaction.guildId}/${interaction.channelId}`;

type PlanCheckoutProblem = Extract<Awaited<ReturnType<HandlerContext['useCases']['startPlanCheckout']>>, { ok: false }>['error'];

function planProblemText(problem: PlanCheckoutProblem): string {
  switch (problem.code) {
    case 'card_payments_off':
      return 'Card payments are not set up on this bot. Run /subscribe to see other ways to get a plan.';
    case 'plan_not_sold':
      return 'That plan is no longer sold. Run /subscribe to see the current plans.';
    case 'already_subscribed':
      return (
        `You already have a card plan (**${problem.tierName}**, until ${day(problem.periodEnd)}). ` +
        'Change or cancel it with **Manage card plan** under /subscribe, so you never pay twice.'
      );
    case 'checkout_unavailable':
      return unavailable;
  }
}

export async function handleSubscribeCardButton(interaction: ButtonInteraction<'cached' | 'raw'>, planId: string, ctx: HandlerContext): Promise<void> {
  const started = await ctx.useCases.startPlanCheckout({
    planId,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    returnUrl: returnUrl(interaction),
    idempotencyKey: interaction.id,
  });
  if (!started.ok) {
    const problem = started.error;
    if (problem.code === 'checkout_unavailable')
      ctx.log.warn({ planId, userId: interaction.user.id, detail: problem.detail }, 'could not create a plan checkout session');
    const text = planProblemText(problem);
    await interaction.editReply({ content: text });
    return;
  }
  const { plan, session } = started.value;
  ctx.log.info({ planId, userId: interaction.user.id, guildId: interaction.guildId, sessionId: session.id }, 'plan checkout session created');
  const price = formatUsd(plan.plan.priceUsd);
  const intro =
    `**${plan.tier.label ?? plan.tier.name}: ${plan.credits} credits a ${plan.plan.interval} for ${price}**, renewed on the date you subscribe. ` +
    'Pay on Stripe’s secure page; each period’s credits arrive as soon as it is paid, in every server, and I will tell you by DM. ' +
    'Cancel any time with **Manage card plan** under /subscribe. This link is made for you.';
  await interaction.editReply(withLink(intro, session.url, `Subscribe for ${price} a ${plan.plan.interval}`));
}

export async function handleSubscribePortalButton(interaction: ButtonInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const portal = await ctx.useCases.openBillingPortal({ userId: interaction.user.id, returnUrl: returnUrl(interaction) });
  if (!portal.ok) {
    if (portal.error.code === 'checkout_unavailable')
      ctx.log.warn({ userId: interaction.user.id, detail: portal.error.detail }, 'could not open the billing portal');
    const text = {
      card_payments_off: 'Card payments are not set up on this bot, so there is no card plan to manage.',
      no_card_plan: 'You have no card plan to manage. Run /subscribe to see the plans.',
      checkout_unavailable: portalUnavailable,
    }[portal.error.code];
    await interaction.editReply({ content: text });
    return;
  }
  await interaction.editReply(
    withLink(
      'Your billing page on Stripe: cancel your plan (it lasts to the end of the period you paid for), change your card or read your invoices. This link is made for you.',
      portal.value.url,
      'Manage card plan',
    ),
  );
}
