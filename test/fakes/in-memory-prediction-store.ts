import type { PredictionRecord, PredictionStore } from '../../src/use-cases/ports/image-provider.js';

/**
 * PredictionStore in a Map, with a log of calls so tests can check the order (mark → create → save).
 * A part (one of several predictions of a job) is keyed and logged as `jobId#part`.
 */
export class InMemoryPredictionStore implements PredictionStore {
  readonly records = new Map<string, PredictionRecord>();
  readonly calls: string[] = [];

  async get(jobId: string, part?: number): Promise<PredictionRecord | null> {
    const key = keyOf(jobId, part);
    this.calls.push(`get ${key}`);
    return this.records.get(key) ?? null;
  }

  async markCreating(jobId: string, at: Date, part?: number): Promise<void> {
    const key = keyOf(jobId, part);
    this.calls.push(`markCreating ${key}`);
    this.records.set(key, { predictionId: this.records.get(key)?.predictionId ?? null, creatingSince: at });
  }

  async save(jobId: string, predictionId: string, part?: number): Promise<void> {
    const key = keyOf(jobId, part);
    this.calls.push(`save ${key} ${predictionId}`);
    this.records.set(key, { predictionId, creatingSince: this.records.get(key)?.creatingSince ?? null });
  }
}

const keyOf = (jobId: string, part: number | undefined): string => (part === undefined ? jobId : `${jobId}#${part}`);
