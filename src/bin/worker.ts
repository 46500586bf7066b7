// `npm run start:worker`: a worker process (run as many as you like, on any machine): takes
// generation jobs from the queue, reconciles the queue with the database, sweeps expired credits.
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';

await runProcess('worker', async (ready, log) => composeWorker(ready, log));
