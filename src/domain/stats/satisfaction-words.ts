// Satisfaction in words (reports, cards, the tab): no imports, so the tab can use it as it is.

/** A percentage of a share, whole: 0.6667 reads "67 %". */
const pct = (x: number): string => `${Math.round(x * 100)} %`;

/** "1 rating", "5 ratings". */
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Satisfaction in two short sentences, for reports and cards.
 * @example satisfactionSentence({ asked: 6, answers: 5, positive: 4, csat: 0.8, responseRate: 0.8333 })
 *   // '5 ratings: 80 % rated 4 or 5. 5 of 6 rating cards answered (83 %).'
 */
export function satisfactionSentence(f: {
  readonly asked: number;
  readonly answers: number;
  readonly csat: number | null;
  readonly responseRate: number | null;
}): string {
  if (f.csat === null)
    return f.asked === 0 ? 'No ratings yet.' : `No ratings yet (${count(f.asked, 'rating card')} sent).`;
  return `${count(f.answers, 'rating')}: ${pct(f.csat)} rated 4 or 5. ${f.answers} of ${count(f.asked, 'rating card')} answered (${pct(f.responseRate ?? 0)}).`;
}
