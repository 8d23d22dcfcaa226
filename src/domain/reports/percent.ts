// Availability as people read it, by one rule everywhere (chat cards, reports, the tab): truncated to the
// digits shown, never rounded up, so a month just under its target never reads as meeting it.
// No imports: the tab bundles this file.

/**
 * A share (0..1) as a percentage with `digits` decimals, truncated.
 * @example availabilityPercent(0.999932999) // '99.9932 %' (rounding would say 99.9933 %)
 */
export function availabilityPercent(share: number, digits = 4): string {
  const scale = 10 ** digits;
  // The small guard keeps binary fractions such as 0.9999 × 10⁶ = 999899.99… from losing a digit.
  return `${(Math.floor(share * 100 * scale + 1e-7) / scale).toFixed(digits)} %`;
}
