import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics (served on /metrics). One registry per process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'imagine_' });
  return {
    registry,
    jobsFinished: new Counter({ name: 'imagine_jobs_finished_total', help: 'Jobs ended, by final status', labelNames: ['status'], registers: [registry] }),
    jobAttempts: new Counter({ name: 'imagine_job_attempts_total', help: 'Job attempts, by outcome', labelNames: ['outcome'], registers: [registry] }),
    creditsCaptured: new Counter({ name: 'imagine_credits_captured_total', help: 'Credits charged for delivered images', registers: [registry] }),
    creditsRefunded: new Counter({ name: 'imagine_credits_refunded_total', help: 'Credits returned to members', registers: [registry] }),
    refunds: new Counter({ name: 'imagine_refunds_total', help: 'Jobs refunded in whole or part, by reason', labelNames: ['reason'], registers: [registry] }),
    providerSeconds: new Histogram({
      name: 'imagine_provider_seconds',
      help: 'Time the image provider took per attempt',
      labelNames: ['provider', 'outcome'],
      buckets: [0.05, 0.25, 1, 2.5, 5, 10, 30, 60, 180, 600, 1800],
      registers: [registry],
    }),
    providerErrors: new Counter({
      name: 'imagine_provider_errors_total',
      help: 'Provider failures, by reason',
      labelNames: ['provider', 'reason'],
      registers: [registry],
    }),
    interactionAckSeconds: new Histogram({
      name: 'imagine_interaction_ack_seconds',
      help: 'Time from receiving an interaction to having acknowledged it (Discord allows 3 s)',
      labelNames: ['kind'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    interactionSeconds: new Histogram({
      name: 'imagine_interaction_seconds',
      help: 'Time from receiving an interaction to the end of its handling (the answer edited in)',
      labelNames: ['kind'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers: [registry],
    }),
    queueJobs: new Gauge({ name: 'imagine_queue_jobs', help: 'Jobs in the queue, by state', labelNames: ['state'], registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
