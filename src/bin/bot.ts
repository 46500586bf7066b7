// `npm run start:bot`: the Discord gateway process (slash commands and buttons). Run workers
// beside it (`npm run start:worker`) to render the images.
import { createMetrics } from '../observability/metrics.js';
import { composeBot } from './compose-bot.js';
import { runProcess } from './run-process.js';
import { serveParts } from './serve-process.js';

await runProcess('bot', async (ready, log) => {
  const token = ready.config.discord.token;
  if (!token) {
    log.fatal('DISCORD_TOKEN is not set: the bot cannot connect to Discord (see .env.example)');
    process.exit(1);
  }
  const metrics = createMetrics();
  return serveParts(ready, log, metrics, [await composeBot(ready, log, token, metrics)], 'bot started');
});
