// `npm run commands:deploy`: registers the slash commands with Discord, globally, or to
// DISCORD_DEV_GUILD_ID when set. Needs only DISCORD_TOKEN (no database, no Redis). The bot also
// registers them at every start; this is for deploying before a start, or from CI.
import './load-env.js';
import { ConfigError, loadConfig } from '../config.js';
import { deployCommands } from '../discord/deploy-commands.js';
import { errorMessage } from '../shared/error-message.js';

try {
  const { discord } = loadConfig();
  if (!discord.token) {
    console.error('Cannot deploy commands: DISCORD_TOKEN is not set (see .env.example).');
    process.exit(1);
  }
  const deployed = await deployCommands({
    token: discord.token,
    ...(discord.apiUrl ? { apiUrl: discord.apiUrl } : {}),
    ...(discord.devGuildId ? { guildId: discord.devGuildId } : {}),
  });
  const where =
    deployed.scope.kind === 'guild'
      ? `to server ${deployed.scope.guildId} (available at once)`
      : 'globally (Discord may take up to an hour to show changes everywhere)';
  console.log(`Registered ${deployed.names.length} slash command(s) ${where}: ${deployed.names.map((name) => `/${name}`).join(', ')}.`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Cannot deploy commands: ${errorMessage(error)}`);
  process.exitCode = 1;
}
