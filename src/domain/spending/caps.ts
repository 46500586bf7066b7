// Cap values as members and admins type them: a whole number of credits 0–1,000,000, or "off".
// The same range is a CHECK in the database (member_settings, guild_spending_cap).

export const capMaximum = 1_000_000;

export type CapProblem = { readonly code: 'not_a_number' } | { readonly code: 'out_of_range'; readonly maximum: number };

/** "50" → 50, "off" / "none" → null (no cap); "-5", "abc", "1e9" are refused. */
export function parseCap(text: string): { ok: true; value: number | null } | { ok: false; problem: CapProblem } {
  const trimmed = text.trim().toLowerCase().replaceAll(',', '');
  if (trimmed === 'off' || trimmed === 'none' || trimmed === 'no') return { ok: true, value: null };
  if (/^-\d+$/.test(trimmed)) return { ok: false, problem: { code: 'out_of_range', maximum: capMaximum } };
  if (!/^\d+$/.test(trimmed)) return { ok: false, problem: { code: 'not_a_number' } };
  const value = Number(trimmed);
  if (value > capMaximum) return { ok: false, problem: { code: 'out_of_range', maximum: capMaximum } };
  return { ok: true, value };
}

export const capProblemText = (what: string, problem: CapProblem): string =>
  problem.code === 'not_a_number'
    ? `${what} must be a whole number of credits (0–${capMaximum.toLocaleString('en-US')}) or "off".`
    : `${what} must be between 0 and ${capMaximum.toLocaleString('en-US')} credits, or "off".`;
