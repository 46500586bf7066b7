// `npm run start:bot`: the Discord gateway process (slash commands and buttons). Run workers
// beside it (`npm run start:worker`) to render the images.
import { composeBot } from './compose-bot.js';
import { runProcess } from './run-process.js';

await runProcess('bot', async (ready, log) => {
  const token = ready.config.discord.token;
  if (!token) {
    log.fatal('DISCORD_TOKEN is not set: the bot cannot connect to Discord (see .env.example)');
    process.exit(1);
  }
  return composeBot(ready, log, token);
});
