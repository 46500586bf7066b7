import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type InteractionEditReplyOptions } from 'discord.js';
import { formatBreakdown, formatNumber, formatUsd } from '../../domain/pricing/format-breakdown.js';
import { laneBlurb, laneLabel } from '../../domain/lanes/lanes.js';
import { promptProblemMessage } from '../../domain/jobs/prompt-problem.js';
import { moderationMessage } from '../../domain/moderation.js';
import type { QuoteGenerationError, QuotedGeneration } from '../../use-cases/quote-generation.js';

/** Buttons carry only an action and an id; everything else lives in PostgreSQL. */
export const quoteButtonId = { generate: (quoteId: string) => `quote:generate:${quoteId}`, cancel: (quoteId: string) => `quote:cancel:${quoteId}` };

/** The quote, as the private answer to /imagine, /batch or a job button (the router made it private). */
export function renderQuote(quoted: QuotedGeneration, prompt: string): InteractionEditReplyOptions {
  const { quote } = quoted;
  const after = quoted.available - quote.total;
  // Plain API objects, not the builders: this runs on every /imagine, and the builders' run-time
  // validation cost more than the rest of the rendering (profiled under a 50-interaction burst).
  // The sizes here are fixed or capped well inside Discord's limits.
  const embed: APIEmbed = {
    title: `${quote.total} credits (${formatUsd(quote.usd)})`,
    description: `> ${prompt.slice(0, 300)}`,
    fields: [
      { name: 'Why this price', value: `\`${formatBreakdown(quote)}\`` },
      { name: 'Balance', value: after >= 0 ? `${quoted.available} → **${after}** after this` : `${quoted.available} — **${-after} short**`, inline: true },
      { name: 'Settings', value: `${quote.model} · ${quote.size} · ${quote.steps} steps · ×${quote.count} · seed ${quoted.seed}`, inline: true },
      { name: 'Lane', value: laneLine(quote), inline: true },
    ],
    footer: { text: 'Nothing is charged until you press Generate; a failed image is refunded. Quote valid until' },
    timestamp: quoted.expiresAt.toISOString(),
  };
  const buttons: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, custom_id: quoteButtonId.generate(quoted.quoteId), label: `Generate (${quote.total})`, style: ButtonStyle.Primary },
      { type: ComponentType.Button, custom_id: quoteButtonId.cancel(quoted.quoteId), label: 'Cancel', style: ButtonStyle.Secondary },
    ],
  };
  return { embeds: [embed], components: [buttons] };
}

/** "Turbo · 2× price · ahead of every Fast job". */
function laneLine(quote: QuotedGeneration['quote']): string {
  const factor = quote.breakdown.lane?.factor ?? 1;
  const price = factor === 0 ? 'free' : `${formatNumber(factor, 6)}× price`;
  return `${laneLabel[quote.lane]} · ${price} · ${laneBlurb[quote.lane]}`;
}

/** Why no quote could be made, in the member's words. */
export const renderQuoteError = (error: QuoteGenerationError): InteractionEditReplyOptions => ({
  content:
    error.code === 'rejected'
      ? error.rejection.message
      : error.code === 'invalid_prompt'
        ? promptProblemMessage(error.problem)
        : error.code === 'moderated'
          ? moderationMessage(error.verdict)
          : error.code === 'channel_not_allowed'
            ? `Images are made only in ${listChannels(error.allowedChannelIds)} on this server — use one of those.`
            : 'Your credits could not be checked just now; please try again.',
  allowedMentions: { parse: [] },
});

/** `<#a>`, `<#a> or <#b>`, `<#a>, <#b> or <#c>`: channel mentions render as links. */
const listChannels = (ids: readonly string[]): string => {
  const mentions = ids.map((id) => `<#${id}>`);
  return mentions.length <= 1 ? mentions.join('') : `${mentions.slice(0, -1).join(', ')} or ${mentions.at(-1)}`;
};
