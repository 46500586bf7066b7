import { ProviderError, type ImageProvider } from '../use-cases/ports/image-provider.js';
import type { Metrics } from './metrics.js';

/** Wraps a provider to time every attempt and count failures by reason. */
export function instrumentProvider(provider: ImageProvider, metrics: Metrics): ImageProvider {
  return {
    name: provider.name,
    async generate(request, context) {
      const stop = metrics.providerSeconds.startTimer({ provider: provider.name });
      try {
        const result = await provider.generate(request, context);
        stop({ outcome: 'ok' });
        return result;
      } catch (error) {
        const reason = error instanceof ProviderError ? error.reason : 'unexpected';
        stop({ outcome: reason });
        metrics.providerErrors.inc({ provider: provider.name, reason });
        throw error;
      }
    },
  };
}
