// `npm start`: bot and worker in one process. Without DISCORD_TOKEN only the worker side runs
// (its maintenance), so the quick start works before you have a bot token.
import { composeBot } from './compose-bot.js';
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';

await runProcess('all-in-one', async (ready, log) => {
  const worker = await composeWorker(ready, log);
  const token = ready.config.discord.token;
  const bot = token ? await composeBot(ready, log, token) : null;
  log.info(bot ? 'started: bot and worker' : 'started: worker only (set DISCORD_TOKEN to connect the bot)');
  return {
    async stop() {
      await bot?.stop();
      await worker.stop();
    },
  };
});
