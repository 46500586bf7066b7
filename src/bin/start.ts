// `npm start`: bot and worker in one process. Until the Discord gateway exists (issue #4),
// this is the worker side alone: preflight checks and the ledger's maintenance.
import { runMaintenance } from './run-maintenance.js';
import { runProcess } from './run-process.js';

await runProcess('all-in-one', async (ready, log) => {
  const maintenance = runMaintenance(ready, log);
  log.info(
    { provider: ready.config.provider.kind, models: Object.keys(ready.priceCard.models).length },
    'started: ledger maintenance running; the Discord gateway and image queue are not built yet (issues #3, #4)',
  );
  return maintenance;
});
