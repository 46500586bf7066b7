// `npm run start:worker`: a worker process. Today it runs the ledger's maintenance (expiry
// sweep); the image-generation queue worker joins it with the pipeline (issue #3).
import { runMaintenance } from './run-maintenance.js';
import { runProcess } from './run-process.js';

await runProcess('worker', async (ready, log) => {
  const maintenance = runMaintenance(ready, log);
  log.info({ provider: ready.config.provider.kind, models: Object.keys(ready.priceCard.models).length }, 'worker started: ledger maintenance running');
  return maintenance;
});
