import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, time, TimestampStyles } from 'discord.js';
import { bucketLabels, type HistoryRow } from '../../domain/history/ledger-operation.js';
import type { HistoryCursor } from '../../use-cases/show-history.js';

export const HISTORY_PAGE_SIZE = 10;

/**
 * Paging buttons carry who may press them and where the page starts, nothing else:
 * `history:<ownerUserId>:<older|newer>:<entryId>` (at most 20 + 19 digits, well under Discord's 100).
 */
export const historyButtonId = (ownerId: string, cursor: HistoryCursor): string => `history:${ownerId}:${cursor.direction}:${cursor.entryId}`;

export function parseHistoryButton(customId: string): { ownerId: string; cursor: HistoryCursor } | null {
  const match = /^history:(\d{1,20}):(older|newer):(\d{1,19})$/.exec(customId);
  if (!match) return null;
  return { ownerId: match[1]!, cursor: { direction: match[2] as HistoryCursor['direction'], entryId: match[3]! } };
}

const signed = (credits: number): string => (credits > 0 ? `+${credits}` : credits < 0 ? `−${-credits}` : '±0');
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function amount(row: HistoryRow): string {
  const spent = row.charged > 0 ? ` (${row.charged} held credit${row.charged === 1 ? '' : 's'} spent)` : '';
  return `${signed(row.credits)}${spent}`;
}

export interface HistoryPageView {
  readonly ownerId: string;
  readonly rows: readonly HistoryRow[];
  /** Newest entry id on the page and the oldest, for the buttons. */
  readonly newestEntryId: string | null;
  readonly oldestEntryId: string | null;
  readonly hasNewer: boolean;
  readonly hasOlder: boolean;
}

export function renderHistoryPage(view: HistoryPageView) {
  if (view.rows.length === 0) {
    return {
      content: 'Nothing in your credit history here yet. Your free daily credits arrive with your first /imagine or /balance.',
      embeds: [],
      components: [],
    };
  }
  const embed = new EmbedBuilder()
    .setTitle('Your credit history')
    .setDescription('Newest first. Amounts are changes to what you can spend; buckets say where the credits came from or went back to.')
    .addFields(
      view.rows.map((row) => ({
        name: clip(`${amount(row)} · ${row.what}`, 256),
        value: clip(
          `${time(row.at, TimestampStyles.RelativeTime)} · ${row.buckets.map((b) => bucketLabels[b]).join(' + ')}${row.why ? `\n${row.why}` : ''}`,
          1024,
        ),
      })),
    );
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setLabel('◀ Newer')
      .setStyle(ButtonStyle.Secondary)
      .setCustomId(historyButtonId(view.ownerId, { direction: 'newer', entryId: view.newestEntryId ?? '0' }))
      .setDisabled(!view.hasNewer),
    new ButtonBuilder()
      .setLabel('Older ▶')
      .setStyle(ButtonStyle.Secondary)
      .setCustomId(historyButtonId(view.ownerId, { direction: 'older', entryId: view.oldestEntryId ?? '0' }))
      .setDisabled(!view.hasOlder),
  );
  return { content: '', embeds: [embed], components: [buttons] };
}
