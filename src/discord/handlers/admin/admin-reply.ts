import { type ChatInputCommandInteraction } from 'discord.js';
import type { HandlerContext } from '../../handler-context.js';

export type AdminInteraction = ChatInputCommandInteraction<'cached' | 'raw'>;
export type AdminHandler = (interaction: AdminInteraction, ctx: HandlerContext) => Promise<void>;

/**
 * Admin answers are private to the admin and never ping: they mention members and roles only
 * to name them.
 */
export const replyPrivately = (interaction: AdminInteraction, content: string) => interaction.editReply({ content, allowedMentions: { parse: [] } });
