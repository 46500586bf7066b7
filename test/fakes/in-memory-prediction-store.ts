import type { PredictionRecord, PredictionStore } from '../../src/use-cases/ports/image-provider.js';

/** PredictionStore in a Map, with a log of calls so tests can check the order (mark → create → save). */
export class InMemoryPredictionStore implements PredictionStore {
  readonly records = new Map<string, PredictionRecord>();
  readonly calls: string[] = [];

  async get(jobId: string): Promise<PredictionRecord | null> {
    this.calls.push(`get ${jobId}`);
    return this.records.get(jobId) ?? null;
  }

  async markCreating(jobId: string, at: Date): Promise<void> {
    this.calls.push(`markCreating ${jobId}`);
    this.records.set(jobId, { predictionId: this.records.get(jobId)?.predictionId ?? null, creatingSince: at });
  }

  async save(jobId: string, predictionId: string): Promise<void> {
    this.calls.push(`save ${jobId} ${predictionId}`);
    this.records.set(jobId, { predictionId, creatingSince: this.records.get(jobId)?.creatingSince ?? null });
  }
}
