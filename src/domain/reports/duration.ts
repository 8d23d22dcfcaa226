// Durations as people read them, by one rule in the tab, the reports and their cards: "36 h 59 min",
// never raw minutes. Cut to the unit shown, never rounded up. No imports: the tab bundles this file.

const MINUTE = 60_000;

/**
 * A duration in words: "40 s" under a minute, "45 min", "36 h 59 min" under two days, "3 d 4 h 12 min"
 * beyond; zero parts left out. Cut to the minute (never rounded up); with `seconds`, durations under an hour
 * keep their seconds ("4 min 19 s"), as availability budgets need. Negative durations read as their size.
 * @example duration(2219.5 * 60_000) // '36 h 59 min'
 */
export function duration(ms: number, seconds = false): string {
  if (!Number.isFinite(ms)) return '—';
  // The small guard keeps binary fractions such as 4.326 × 60 000 = 259559.99… from losing a second.
  const abs = Math.abs(ms) + 1e-6;
  if (abs < MINUTE) {
    const s = Math.floor(abs / 1000);
    return s === 0 ? '0 min' : `${s} s`;
  }
  const minutes = Math.floor(abs / MINUTE);
  if (minutes < 60) {
    const s = Math.floor((abs % MINUTE) / 1000);
    return seconds && s > 0 ? `${minutes} min ${s} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const parts =
    hours < 48
      ? [`${hours} h`]
      : [`${Math.floor(hours / 24)} d`, ...(hours % 24 > 0 ? [`${hours % 24} h`] : [])];
  if (minutes % 60 > 0) parts.push(`${minutes % 60} min`);
  return parts.join(' ');
}

/**
 * Minutes (as reports and figures carry them) in words; null reads "—".
 * @example minutes(4.326, true) // '4 min 19 s'
 */
export function minutesText(m: number | null, seconds = false): string {
  return m === null ? '—' : duration(m * MINUTE, seconds);
}

/**
 * Milliseconds as the minutes a report carries: cut to the whole second (never rounded up), so the page, the
 * card and the tab read the same wait the same way ("7 s", not "6 s" from a tenth of a minute).
 * @example cutMinutes(7_900) // 7 / 60 (reads "7 s")
 */
export function cutMinutes(ms: number): number {
  return Math.floor(Math.max(0, ms) / 1000) / 60;
}
