// `npm run start:worker`: a worker process (run as many as you like, on any machine): takes
// generation jobs from the queue, reconciles the queue with the database, sweeps expired credits.
import { createMetrics } from '../observability/metrics.js';
import { composeWorker } from './compose-worker.js';
import { runProcess } from './run-process.js';
import { serveParts } from './serve-process.js';

await runProcess('worker', async (ready, log) => {
  const metrics = createMetrics();
  return serveParts(ready, log, metrics, [await composeWorker(ready, log, metrics)], 'worker started');
});
