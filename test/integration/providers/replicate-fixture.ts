import { afterEach, beforeEach } from 'vitest';
import { createReplicateProvider, type ReplicateProviderOptions } from '../../../src/providers/replicate-provider.js';
import {
  ProviderError,
  type GenerationContext,
  type GenerationProgress,
  type GenerationRequest,
  type GenerationResult,
} from '../../../src/use-cases/ports/image-provider.js';
import { FakeReplicate } from '../../fakes/fake-replicate.js';
import { InMemoryPredictionStore } from '../../fakes/in-memory-prediction-store.js';

/** A fresh fake Replicate and prediction store per test, and a provider pointed at them with fast polling. */
export function useReplicate() {
  let fake: FakeReplicate | undefined;
  let store = new InMemoryPredictionStore();
  beforeEach(async () => {
    fake = await FakeReplicate.start();
    store = new InMemoryPredictionStore();
  });
  afterEach(async () => {
    await fake?.close();
  });

  const f = {
    get fake(): FakeReplicate {
      if (!fake) throw new Error('fake Replicate not started');
      return fake;
    },
    get store(): InMemoryPredictionStore {
      return store;
    },
    provider(overrides: Partial<ReplicateProviderOptions> = {}) {
      return createReplicateProvider({
        token: f.fake.token,
        baseUrl: f.fake.baseUrl,
        pollIntervalMs: 5,
        downloadRetryDelayMs: 5,
        ...overrides,
      });
    },
    /** Runs one generation and records the progress it reported. */
    async generate(request: GenerationRequest, options: Partial<ReplicateProviderOptions> = {}, context: Partial<GenerationContext> = {}) {
      const progress: GenerationProgress[] = [];
      const result = await f.provider(options).generate(request, {
        predictions: store,
        onProgress: (p) => progress.push(p),
        ...context,
      });
      return { result, progress };
    },
    /** The ProviderError a generation rejects with (fails the test if it resolves or throws something else). */
    async failure(
      request: GenerationRequest,
      options: Partial<ReplicateProviderOptions> = {},
      context: Partial<GenerationContext> = {},
    ): Promise<ProviderError> {
      let result: GenerationResult;
      try {
        result = (await f.generate(request, options, context)).result;
      } catch (error) {
        if (error instanceof ProviderError) return error;
        throw error;
      }
      throw new Error(`expected a ProviderError, got ${result.images.length} images`);
    },
  };
  return f;
}
