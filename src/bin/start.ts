// `npm start`: bot and worker in one process. The Discord gateway arrives with the bot
// (issue #4); until then this is the worker side: generation jobs, reconciler, expiry sweep.
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';

await runProcess('all-in-one', async (ready, log) => {
  const worker = await composeWorker(ready, log);
  log.info('started; the Discord gateway is not built yet (issue #4)');
  return worker;
});
