/** Credits an interaction held for a job before something went wrong. */
export interface HeldForJob {
  readonly jobId: string;
  readonly price: number;
}

/**
 * What a member reads when handling their interaction failed unexpectedly: the reference to quote
 * to an admin, and what happened to their credits — never "nothing was charged" after a hold.
 */
export function failedInteractionText(reference: string, held: HeldForJob | null): string {
  const lead = `Something went wrong on our side (reference ${reference}).`;
  if (held === null) return `${lead} Nothing was charged for it.`;
  return (
    `${lead} Your job \`${held.jobId}\` was confirmed and **${held.price} credits are held** for it: ` +
    'its message in this channel shows where it is. If it cannot be made, the credits come back on their own (see /history).'
  );
}
