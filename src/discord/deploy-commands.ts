// Registers the slash commands (commands/index.ts) with Discord over REST, without a gateway
// connection: globally (every server; Discord may take a while to show changes) or to one
// development server (instant). A bulk overwrite, so a removed command disappears too.
import { REST, Routes, type APIApplication } from 'discord.js';
import { commands } from '../../commands/index.js';

export interface DeployCommandsOptions {
  readonly token: string;
  /** REST base URL (`DISCORD_API_URL`). @defaultValue Discord's */
  readonly apiUrl?: string;
  /** Register to this server only (`DISCORD_DEV_GUILD_ID`); globally when unset. */
  readonly guildId?: string;
}

export interface DeployedCommands {
  readonly applicationId: string;
  readonly scope: { readonly kind: 'global' } | { readonly kind: 'guild'; readonly guildId: string };
  readonly names: readonly string[];
}

export async function deployCommands(options: DeployCommandsOptions): Promise<DeployedCommands> {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  // The token names the bot; the application it belongs to is asked for, not guessed from it.
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const route = options.guildId ? Routes.applicationGuildCommands(application.id, options.guildId) : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body: [...commands] })) as { name: string }[];
  return {
    applicationId: application.id,
    scope: options.guildId ? { kind: 'guild', guildId: options.guildId } : { kind: 'global' },
    names: registered.map((command) => command.name),
  };
}
