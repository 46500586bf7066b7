// The Discord side of confirming a quote (src/use-cases/confirm-quote.ts): the confirming
// interaction's webhook, which carries the job message while its token lives, and the answer to
// the member, written before that message is posted.
import type { Interaction } from 'discord.js';
import type { Confirmation, ConfirmedForMember, InteractionWebhook } from '../use-cases/confirm-quote.js';
import { memberRoleIds, type HandlerContext } from './handler-context.js';

/** Discord's interaction tokens last 15 minutes from the interaction. */
const interactionTokenLifeMs = 15 * 60_000;

/** The interaction's webhook, valid until 15 minutes after Discord created the interaction. */
export const webhookOf = (interaction: Pick<Interaction, 'applicationId' | 'token' | 'createdTimestamp'>): InteractionWebhook => ({
  applicationId: interaction.applicationId,
  token: interaction.token,
  expiresAt: new Date(interaction.createdTimestamp + interactionTokenLifeMs),
});

/** How the confirmation of a quote by this interaction reaches the member: `answer` edits the interaction's answer. */
export const confirmationBy = (
  interaction: Pick<Interaction, 'applicationId' | 'token' | 'createdTimestamp' | 'member'>,
  ctx: HandlerContext,
  answer: (confirmed: ConfirmedForMember) => Promise<unknown>,
): Confirmation => ({
  interaction: webhookOf(interaction),
  log: ctx.log,
  answer,
  roleIds: memberRoleIds(interaction.member),
  onHeld: (job) => ctx.onCreditsHeld({ jobId: job.jobId, price: job.price }),
});
