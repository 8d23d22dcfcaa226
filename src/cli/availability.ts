// The `availability` command: one month's Core Service availability from outages given as flags.
// Thin: parses flags, asks monthAvailability (src/sla/availability.ts), prints one JSON line.
import { EXCLUSION_CATEGORIES, type ExclusionCategory } from '../domain/policy/schema';
import { monthAvailability, type MonthAvailability, type OutageSpan } from '../domain/sla/availability';
import { parseInstant } from '../domain/sla/format';
import type { Instant } from '../domain/sla/types';
import { oneLine, parseFlags, splitSpan, UsageError } from './args';
import type { CliContext } from './context';

/** What `availability` prints, in this key order. */
export type AvailabilityAnswer = Pick<
  MonthAvailability,
  | 'month'
  | 'minutes'
  | 'outageMinutes'
  | 'excludedMinutes'
  | 'availability'
  | 'target'
  | 'met'
  | 'budgetMinutes'
>;

function isCategory(text: string): text is ExclusionCategory {
  return (EXCLUSION_CATEGORIES as readonly string[]).includes(text);
}

/**
 * Parses "START/END[=class]"; an empty END is an ongoing outage. Throws UsageError saying what is wrong.
 * @example parseOutage('2026-11-10T10:00-05:00/2026-11-10T11:00-05:00=b')
 *   // { start: 1794322800000, end: 1794326400000, exclusion: 'b' }
 */
export function parseOutage(text: string): OutageSpan {
  const eq = text.indexOf('=');
  const span = eq === -1 ? text : text.slice(0, eq);
  const category = eq === -1 ? null : text.slice(eq + 1);
  if (category !== null && !isCategory(category)) {
    throw new UsageError(
      `availability: --outage exclusion "${category}" must be one of ${EXCLUSION_CATEGORIES.join(', ')}`,
    );
  }
  const { start: startText, end: endText } = splitSpan(span, 'availability: --outage');
  try {
    const start = parseInstant(startText, '--outage start');
    const end = endText === '' ? null : parseInstant(endText, '--outage end');
    if (end !== null && end < start) throw new RangeError(`--outage "${span}" ends before it starts`);
    return { start, end, exclusion: category };
  } catch (e) {
    throw new UsageError(`availability: ${oneLine(e)}`);
  }
}

const FLAGS = { month: 'value', outage: 'repeat', policy: 'value', now: 'value' } as const;

/** `availability --month YYYY-MM [--outage START/END[=a..e]]… [--now ISO]`. */
export function availabilityCommand(argv: readonly string[], ctx: CliContext): number {
  const flags = parseFlags('availability', FLAGS, argv);
  if (flags.month === undefined) throw new UsageError('availability: missing --month (like 2026-11)');
  const outages = (flags.outage ?? []).map(parseOutage);
  let now: Instant;
  try {
    now = flags.now === undefined ? ctx.now() : parseInstant(flags.now, '--now');
  } catch (e) {
    throw new UsageError(`availability: ${oneLine(e)}`);
  }
  const late = outages.find((o) => o.end === null && o.start > now);
  if (late !== undefined) throw new UsageError('availability: an ongoing --outage starts after --now');
  const policy = ctx.policy(flags.policy);
  let a: MonthAvailability;
  try {
    a = monthAvailability(policy, flags.month, outages, now);
  } catch (e) {
    throw new UsageError(`availability: ${oneLine(e)}`);
  }
  const out: AvailabilityAnswer = {
    month: a.month,
    minutes: a.minutes,
    outageMinutes: a.outageMinutes,
    excludedMinutes: a.excludedMinutes,
    availability: a.availability,
    target: a.target,
    met: a.met,
    budgetMinutes: a.budgetMinutes,
  };
  ctx.stdout.write(JSON.stringify(out) + '\n');
  return 0;
}
