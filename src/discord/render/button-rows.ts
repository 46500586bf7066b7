import { ActionRowBuilder, type ButtonBuilder } from 'discord.js';

/** Discord's limits: at most 5 buttons in an action row, 5 rows in a message. */
export const buttonsPerRow = 5;
export const maxRows = 5;

/** Buttons laid out in rows of five (the caller keeps to maxRows). */
export function buttonRows(buttons: readonly ButtonBuilder[]): ActionRowBuilder<ButtonBuilder>[] {
  const rows = [];
  for (let i = 0; i < buttons.length; i += buttonsPerRow) rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(i, i + buttonsPerRow)));
  return rows;
}
