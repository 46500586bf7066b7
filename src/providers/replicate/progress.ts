export interface ParsedProgress {
  readonly percent: number;
  readonly step: number;
  readonly total: number;
}

// tqdm, as diffusers prints it: " 45%|████▌     | 13/28 [00:02<00:03, 7.50it/s]"
const TQDM = /(\d{1,3})%\|[^|\n\r]*\|\s*(\d+)\/(\d+)/g;
// Plain step counters: "step 13/28", "Step 13 of 28"
const STEPS = /\bstep\s+(\d+)\s*(?:\/|of)\s*(\d+)/gi;

/** The latest progress a model printed in its logs, or null when it prints none we recognise. */
export function parseProgress(logs: string | null | undefined): ParsedProgress | null {
  if (!logs) return null;
  const tqdm = lastMatch(TQDM, logs);
  const steps = lastMatch(STEPS, logs);
  if (tqdm && (!steps || tqdm.index > steps.index)) {
    return { percent: clamp(Number(tqdm[1])), step: Number(tqdm[2]), total: Number(tqdm[3]) };
  }
  if (steps) {
    const step = Number(steps[1]);
    const total = Number(steps[2]);
    if (total > 0) return { percent: clamp(Math.floor((100 * step) / total)), step, total };
  }
  return null;
}

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const match of text.matchAll(pattern)) last = match as RegExpExecArray;
  return last;
}

function clamp(percent: number): number {
  return Math.max(0, Math.min(100, percent));
}
