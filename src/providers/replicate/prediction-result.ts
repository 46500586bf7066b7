import type { Prediction } from 'replicate';
import type { GenerationResult } from '../../use-cases/ports/image-provider.js';
import { providerFailure } from '../provider-failure.js';
import { type DownloadFailure, type DownloadOptions, downloadImages } from './download-images.js';
import { fromFailedPrediction } from './replicate-errors.js';

export interface ResultOptions {
  readonly jobId: string;
  /** Images asked for; extra outputs are ignored. */
  readonly count: number;
  readonly usdPerSecond?: number;
  readonly download: DownloadOptions;
  /** Told about each output that could not be delivered (the caller refunds it). */
  readonly onDownloadFailure?: (failure: DownloadFailure) => void;
}

/** A finished prediction as what was delivered, or the ProviderError that ends the job. */
export async function predictionResult(prediction: Prediction, options: ResultOptions): Promise<GenerationResult> {
  const which = `prediction ${prediction.id} (job ${options.jobId})`;
  switch (prediction.status) {
    case 'succeeded':
      break;
    case 'failed':
      throw fromFailedPrediction(prediction.error, prediction.id);
    case 'canceled':
      throw providerFailure('canceled', { detail: `${which} was canceled` });
    case 'aborted':
      throw providerFailure('aborted', { detail: `${which} was aborted before it finished` });
    case 'starting':
    case 'processing':
      throw new Error(`${which} is still ${prediction.status}`);
  }
  const urls = outputUrls(prediction.output).slice(0, options.count);
  if (prediction.data_removed || urls.length === 0) {
    throw providerFailure('model_error', { detail: `${which} succeeded without output${prediction.data_removed ? ' (data removed)' : ''}` });
  }
  const { images, failures } = await downloadImages(urls, options.download);
  failures.forEach((failure) => options.onDownloadFailure?.(failure));
  if (images.length === 0) {
    const reasons = failures.map((f) => `#${f.index}: ${f.reason}`).join('; ');
    const reason = options.download.signal?.aborted ? 'timeout' : failures.some((f) => f.transient) ? 'server_error' : 'model_error';
    throw providerFailure(reason, { detail: `${which}: no output could be downloaded (${reasons})` });
  }
  const predictTime = prediction.metrics?.predict_time ?? null;
  return {
    images,
    providerCostUsd: predictTime !== null && options.usdPerSecond !== undefined ? predictTime * options.usdPerSecond : null,
    predictTimeSeconds: predictTime,
    providerPredictionId: prediction.id,
  };
}

/** `output` is one URL or a list of them (models differ). */
function outputUrls(output: unknown): string[] {
  const values: unknown[] = Array.isArray(output) ? output : [output];
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}
