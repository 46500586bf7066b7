// `npm start`: bot and worker in one process. Without DISCORD_TOKEN it opens the playground — the
// same bot against a built-in local Discord, as a web page on 127.0.0.1 (compose-playground.ts) —
// or, with PLAYGROUND=off, runs only the worker side (its maintenance).
import { createMetrics } from '../observability/metrics.js';
import { composeBot } from './compose-bot.js';
import { composePlayground } from './compose-playground.js';
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';
import { serveParts } from './serve-process.js';

await runProcess(
  'all-in-one',
  async (ready, log) => {
    const metrics = createMetrics();
    if (ready.playground) {
      const playground = await composePlayground(ready, log, metrics);
      // 127.0.0.1 only: the playground has no authentication and plays every member and the owner.
      const running = await serveParts(ready, log, metrics, playground.parts, 'started: playground (no DISCORD_TOKEN: the bot runs against a local Discord)', {
        host: '127.0.0.1',
      });
      const url = playground.listening(running.httpPort);
      log.info({ page: url }, `playground: open ${url} in your browser (credits there are play credits, kept apart from real ones)`);
      return running;
    }
    const parts = [await composeWorker(ready, log, metrics)];
    const token = ready.config.discord.token;
    if (token) parts.push(await composeBot(ready, log, token, metrics));
    return serveParts(
      ready,
      log,
      metrics,
      parts,
      token ? 'started: bot and worker' : 'started: worker only (PLAYGROUND=off; set DISCORD_TOKEN to connect the bot)',
    );
  },
  { mayOpenPlayground: true },
);
