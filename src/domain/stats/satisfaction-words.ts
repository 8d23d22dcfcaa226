// Satisfaction in words (reports, cards, the tab): no imports, so the tab can use it as it is.

/** A percentage of a share, whole: 0.6667 reads "67 %". */
const pct = (x: number): string => `${Math.round(x * 100)} %`;

/**
 * Satisfaction in one sentence, for reports and cards.
 * @example satisfactionSentence({ asked: 6, answers: 5, positive: 4, csat: 0.8, responseRate: 0.8333 })
 *   // '80 % rated 4 or 5, of 5 ratings (5 of 6 asked answered: 83 %).'
 */
export function satisfactionSentence(f: {
  readonly asked: number;
  readonly answers: number;
  readonly csat: number | null;
  readonly responseRate: number | null;
}): string {
  if (f.csat === null) return f.asked === 0 ? 'No ratings yet.' : `No ratings yet (${f.asked} asked for).`;
  return `${pct(f.csat)} rated 4 or 5, of ${f.answers} rating${f.answers === 1 ? '' : 's'} (${f.answers} of ${f.asked} asked answered: ${pct(f.responseRate ?? 0)}).`;
}
