// `npm run start:bot`: the Discord gateway process. The gateway itself arrives with the Discord
// bot (issue #4); until then this checks the set-up and says so, rather than pretending to run.
import { runProcess } from './run-process.js';

await runProcess('bot', async (_ready, log) => {
  log.error('set-up is valid, but the Discord gateway is not built yet (issue #4): nothing to run');
  process.exitCode = 1;
  return { stop: async () => undefined };
}).then(() => process.exit(process.exitCode ?? 0));
