import type { JobStore } from './ports/job-store.js';

/** Cancel on a quote: true when cancelled; false when the clicker is not its owner or it was used already. Nothing is charged either way. */
export const cancelQuote = (deps: { readonly jobs: JobStore }, input: { readonly quoteId: string; readonly userId: string }): Promise<boolean> =>
  deps.jobs.cancelQuote(input.quoteId, input.userId);
