// /admin: one run-time permission check, then a dispatch table by subcommand group and
// subcommand. Adding a group is one line in `adminGroupHandlers`.
import { requireManageGuild } from '../../admin-guard.js';
import type { HandlerContext } from '../../handler-context.js';
import { handleAdminConfig } from '../admin-config.js';
import { creditsSubcommands } from './admin-credits.js';
import { budgetSubcommands, capsSubcommands } from './admin-limits.js';
import { replyPrivately, type AdminHandler, type AdminInteraction } from './admin-reply.js';
import { handleAdminRefund } from './admin-refund.js';
import { handleAdminStats } from './admin-stats.js';
import { tierSubcommands } from './admin-tier.js';

const bySubcommand =
  (handlers: Readonly<Record<string, AdminHandler>>): AdminHandler =>
  (interaction, ctx) => {
    const handler = handlers[interaction.options.getSubcommand(true)];
    return handler ? handler(interaction, ctx) : replyPrivately(interaction, 'That admin command is not known.').then(() => undefined);
  };

/** A handler for each subcommand group of /admin (it picks the subcommand itself). */
export const adminGroupHandlers: Readonly<Record<string, AdminHandler>> = {
  tier: bySubcommand(tierSubcommands),
  credits: bySubcommand(creditsSubcommands),
  config: handleAdminConfig,
  caps: bySubcommand(capsSubcommands),
  budget: bySubcommand(budgetSubcommands),
};

/** Subcommands of /admin outside any group. */
export const adminSubcommandHandlers: Readonly<Record<string, AdminHandler>> = {
  stats: handleAdminStats,
  refund: handleAdminRefund,
};

export async function handleAdmin(interaction: AdminInteraction, ctx: HandlerContext): Promise<void> {
  // Discord hides /admin from non-admins by default, but servers can override that.
  if (!(await requireManageGuild(interaction))) return;
  const group = interaction.options.getSubcommandGroup(false);
  const handler = group === null ? adminSubcommandHandlers[interaction.options.getSubcommand(true)] : adminGroupHandlers[group];
  if (handler) return handler(interaction, ctx);
  await replyPrivately(interaction, 'That admin command is not known.');
}
