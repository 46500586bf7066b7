import type { Prediction } from 'replicate';
import type { GenerationProgress } from '../../use-cases/ports/image-provider.js';
import { parseProgress } from './progress.js';

/** Calls `onProgress` when the status or the printed progress changes, never twice for the same. */
export function progressReporter(onProgress: ((progress: GenerationProgress) => void) | undefined): (prediction: Prediction) => void {
  let last = '';
  return (prediction) => {
    if (!onProgress) return;
    const parsed = parseProgress(prediction.logs);
    const progress: GenerationProgress = parsed
      ? { percent: parsed.percent, message: `${prediction.status}: step ${parsed.step}/${parsed.total}` }
      : { message: prediction.status };
    const key = JSON.stringify(progress);
    if (key === last) return;
    last = key;
    try {
      onProgress(progress);
    } catch {
      // A progress display that fails must not fail a prediction that is already paid for.
    }
  };
}
