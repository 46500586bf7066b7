import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { describeOperation } from '../../domain/history/ledger-operation.js';
import type { HistoryCursor } from '../../use-cases/show-history.js';
import type { HandlerContext } from '../handler-context.js';
import { HISTORY_PAGE_SIZE, parseHistoryButton, renderHistoryPage } from '../render/history-page.js';

async function historyPage(ctx: HandlerContext, ownerId: string, guildId: string, cursor: HistoryCursor | null) {
  const page = await ctx.useCases.showHistory({ userId: ownerId, guildId, cursor, pageSize: HISTORY_PAGE_SIZE });
  return renderHistoryPage({
    ownerId,
    rows: page.operations.map((op) => describeOperation(op, guildId)),
    newestEntryId: page.operations[0]?.lastEntryId ?? null,
    oldestEntryId: page.operations.at(-1)?.lastEntryId ?? null,
    hasNewer: page.hasNewer,
    hasOlder: page.hasOlder,
  });
}

/** `/history`: the newest page of the member's own ledger, privately. */
export async function handleHistory(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const page = await historyPage(ctx, interaction.user.id, interaction.guildId, null);
  await interaction.editReply({ ...page, allowedMentions: { parse: [] } });
}

/** Newer / Older (the router deferred an update of the page): only the member whose history it is may page it; anyone else is told privately, nothing changes. */
export async function handleHistoryButton(interaction: ButtonInteraction<'cached' | 'raw'>, ctx: HandlerContext): Promise<void> {
  const parsed = parseHistoryButton(interaction.customId);
  if (!parsed) {
    await interaction.followUp({ content: 'That button is out of date. Run /history again.', flags: MessageFlags.Ephemeral });
    return;
  }
  if (parsed.ownerId !== interaction.user.id) {
    await interaction.followUp({ content: 'These buttons page someone else’s history. Run /history to see your own.', flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.editReply({ ...(await historyPage(ctx, parsed.ownerId, interaction.guildId, parsed.cursor)), allowedMentions: { parse: [] } });
}
