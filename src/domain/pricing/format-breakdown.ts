import type { Quote } from './quote.js';

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** A number with at most `digits` decimals and no trailing zeros: 1.048576 → "1.05", 3 → "3". */
export const formatNumber = (value: number, digits = 2): string => numberFormat(digits).format(value);

// Making an Intl.NumberFormat costs far more than using one; a quote formats a dozen numbers.
const numberFormats = new Map<number, Intl.NumberFormat>();
function numberFormat(digits: number): Intl.NumberFormat {
  let format = numberFormats.get(digits);
  if (!format) numberFormats.set(digits, (format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, useGrouping: false })));
  return format;
}

/** Dollars as members read them: "$0.39", "$1,200.00"; sub-cent amounts keep their digits ("$0.005"). */
export function formatUsd(usd: number): string {
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${formatNumber(usd, 6)}`;
  return usdFormat.format(usd);
}

export const formatCredits = (credits: number): string => `${credits} credit${credits === 1 ? '' : 's'}`;

/**
 * The whole price on one line, each factor in the order it is applied, rounded once at the end:
 * `flux-dev 12/MP × 1.05 MP × 28/28 steps × txt2img 1 = 12.58 per image × batch 4 (×3) = 38 credits ($0.38)`.
 * A single image skips the batch part; a lane other than Fast at 1× shows as a factor (`× turbo 2`).
 */
export function formatBreakdown(quote: Quote): string {
  const { model, size, steps, operation, batch, lane, edit } = quote.breakdown;
  const unit = [
    `${model.name} ${formatNumber(model.baseCreditsPerMegapixel, 6)}/MP`,
    edit ? editPixels(edit.megapixels, operation.name, size.label) : `${formatNumber(size.megapixels)} MP`,
    `${steps.steps}/${steps.defaultSteps} steps`,
    `${operation.name} ${formatNumber(operation.factor, 6)}`,
    // Fast at 1× is the list price: only a lane that changes the price is a factor worth showing.
    ...(lane && (lane.name !== 'fast' || lane.factor !== 1) ? [`${lane.name} ${formatNumber(lane.factor, 6)}`] : []),
  ].join(' × ');
  const total = `${formatCredits(quote.total)} (${formatUsd(quote.usd)})`;
  if (batch.count === 1) return `${unit} = ${total}`;
  return `${unit} = ${formatNumber(quote.breakdown.unitExact, 4)} per image × batch ${batch.count} (×${formatNumber(batch.multiplier, 3)}) = ${total}`;
}

/** An edit is priced by what it draws: "3.15 MP added to 2048x2048", "0.26 MP repainted of 1024x1024". */
const editPixels = (mp: number, operation: string, canvas: string): string =>
  operation === 'outpaint' ? `${formatNumber(mp)} MP added to ${canvas}` : `${formatNumber(mp)} MP repainted of ${canvas}`;
