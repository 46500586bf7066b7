/** How the fake answers for one prediction (or its create); every field is optional. */
export interface FakeScript {
  /** Answer the create with this HTTP error instead of creating anything. */
  readonly createError?: { readonly status: number; readonly retryAfter?: string; readonly detail?: string };
  /** Create the prediction, then destroy the connection before answering (a lost response). */
  readonly dropCreateResponse?: boolean;
  /** Answer this many GETs of the prediction with 500 before answering normally. */
  readonly getErrors?: number;
  /** GETs after which the prediction reaches its outcome. @defaultValue 2 */
  readonly polls?: number;
  /** @defaultValue 'succeeded' */
  readonly outcome?: FakeOutcome;
  /** The `error` of a failed prediction. @defaultValue 'Prediction failed: CUDA error' */
  readonly error?: string;
  /** One entry per output file; defaults to `num_outputs` (or 1) good files. */
  readonly outputs?: readonly FakeOutputFile[];
  /** Answer `output` as a single URL string instead of an array. */
  readonly outputAsString?: boolean;
  /** `metrics.predict_time` in seconds. @defaultValue 2.5 */
  readonly predictTime?: number;
  /** How the model prints its progress in `logs`. @defaultValue 'tqdm' */
  readonly logStyle?: 'tqdm' | 'steps' | 'none';
}

export type FakeOutcome = 'succeeded' | 'failed' | 'nsfw' | 'canceled' | 'aborted' | 'hang';

/**
 * ok: a small real PNG; missing: 404; oversize: 256 KiB with Content-Length; oversize-chunked:
 * 256 KiB, no length; not-image: HTML; server-error: 500; stall: headers, then nothing.
 */
export type FakeOutputFile = 'ok' | 'missing' | 'oversize' | 'oversize-chunked' | 'not-image' | 'server-error' | 'stall';

export const NSFW_ERROR = 'NSFW content detected. Try running it again, or try a different prompt.';
export const OVERSIZE_BYTES = 256 * 1024;

/** A tqdm bar as diffusers prints it, or a plain "step n/N" line. */
export function progressLine(style: 'tqdm' | 'steps', step: number, total: number): string {
  if (style === 'steps') return `step ${step}/${total}`;
  const percent = Math.floor((100 * step) / total);
  const filled = Math.floor(percent / 10);
  const bar = '█'.repeat(filled) + ' '.repeat(10 - filled);
  return `${String(percent).padStart(3)}%|${bar}| ${step}/${total} [00:0${step % 10}<00:03, 7.50it/s]`;
}
