// The month's availability report in the policy's zone: the figures of docs/sla-rules.md and the outages behind
// them. Pure: outages and `now` come in as parameters. Customers get the report without causes or notes,
// and with approved exclusions only.
import type { ExclusionCategory, Policy } from '../policy/schema';
import { spansOf } from '../outages/service';
import { effectiveExclusion, type Outage } from '../outages/model';
import { EXCLUSION_CATEGORIES } from '../policy/schema';
import { MINUTE_MS, monthAvailability, monthBounds, type Instant, type MonthAvailability } from '../sla';

export type Audience = 'staff' | 'customer';

/** How an outage counts in the month. */
export type Counted = 'down' | 'excluded' | 'down-exclusion-requested' | 'down-exclusion-rejected';

export interface OutageLine {
  readonly id: string;
  readonly start: Instant;
  readonly end: Instant | null;
  /** Minutes of this outage inside the month (ongoing: up to now). Overlaps are not removed here. */
  readonly minutesInMonth: number;
  readonly affected: string;
  /** Staff only. */
  readonly cause?: string | undefined;
  readonly exclusion: {
    readonly category: ExclusionCategory;
    readonly status: 'requested' | 'approved' | 'rejected';
    /** Staff only. */
    readonly justification?: string | undefined;
    readonly decidedBy?: string | undefined;
  } | null;
  readonly counted: Counted;
}

export interface AvailabilityReport {
  readonly kind: 'availability';
  readonly month: string;
  readonly service: string;
  readonly timeZone: string;
  readonly timeZoneLabel: string;
  readonly generatedAt: Instant;
  /** True while the month is not over: figures are so far. */
  readonly partial: boolean;
  readonly figures: MonthAvailability;
  readonly exclusionTitles: Readonly<Record<ExclusionCategory, string>>;
  readonly outages: readonly OutageLine[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The month's availability with the outages behind it.
 * @example availabilityReport(DEFAULT_POLICY, '2026-11', [threeMinutes], now, 'staff').figures
 *   // { minutes: 43260, outageMinutes: 3, availability: 0.99993065, met: true, … }
 */
export function availabilityReport(
  policy: Policy,
  month: string,
  outages: readonly Outage[],
  now: Instant,
  audience: Audience,
): AvailabilityReport {
  const { start, end } = monthBounds(month, policy.timeZone);
  const inMonth = outages.filter((o) => o.start < end && (o.end ?? now) > start && o.start <= now);
  const figures = monthAvailability(policy, month, spansOf(inMonth), now);
  const staff = audience === 'staff';
  const lines = inMonth.map((o): OutageLine => {
    // A customer hears of an exclusion only once a manager approved it.
    const ex = staff || o.exclusion?.status === 'approved' ? o.exclusion : null;
    const counted: Counted =
      effectiveExclusion(o) !== null
        ? 'excluded'
        : ex === null
          ? 'down'
          : ex.status === 'rejected'
            ? 'down-exclusion-rejected'
            : 'down-exclusion-requested';
    return {
      id: o.id,
      start: o.start,
      end: o.end,
      minutesInMonth: round3((Math.min(end, o.end ?? now) - Math.max(start, o.start)) / MINUTE_MS),
      affected: o.affected,
      ...(staff ? { cause: o.cause } : {}),
      exclusion:
        ex === null
          ? null
          : {
              category: ex.category,
              status: ex.status,
              ...(staff ? { justification: ex.justification, decidedBy: ex.decidedBy?.name } : {}),
            },
      counted,
    };
  });
  const titles = Object.fromEntries(
    EXCLUSION_CATEGORIES.map((c) => [c, policy.availability.exclusions[c].title]),
  ) as Record<ExclusionCategory, string>;
  return {
    kind: 'availability',
    month,
    service: policy.availability.service,
    timeZone: policy.timeZone,
    timeZoneLabel: policy.timeZoneLabel,
    generatedAt: now,
    partial: now < end,
    figures,
    exclusionTitles: titles,
    outages: lines,
  };
}
