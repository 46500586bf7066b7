// `npm start`: bot and worker in one process. Without DISCORD_TOKEN only the worker side runs
// (its maintenance), so the quick start works before you have a bot token.
import { createMetrics } from '../observability/metrics.js';
import { composeBot } from './compose-bot.js';
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';
import { serveParts } from './serve-process.js';

await runProcess('all-in-one', async (ready, log) => {
  const metrics = createMetrics();
  const parts = [await composeWorker(ready, log, metrics)];
  const token = ready.config.discord.token;
  if (token) parts.push(await composeBot(ready, log, token, metrics));
  return serveParts(ready, log, metrics, parts, token ? 'started: bot and worker' : 'started: worker only (set DISCORD_TOKEN to connect the bot)');
});
