// The SLA figures: the dashboard's counters, the availability view (the month and the eleven before, with
// the outages behind them) and what-if (both deadlines and their warnings for a priority and an instant).
import type { Policy } from '../../../domain/policy/schema';
import {
  monthAvailability,
  monthBounds,
  parseInstant,
  type Instant,
  type Priority,
  type SlaEngine,
  type TargetName,
} from '../../../domain/sla';
import { monthMinus, monthOf } from '../../../domain/stats/figures';
import type { StatsService } from '../../../domain/stats/service';
import type { AvailabilityExclusion, AvailabilityOutage, WhatIfTarget } from '../contract';
import { monthParam } from '../params';
import type { OutageSource, OutageView } from '../ports';
import { ANYONE, badRequest, ok, route, STAFF } from '../route';
import type { Parsed, RouteSpec } from '../route';
import { isPriority } from '../../../domain/tickets/fields';

export interface SlaRouteDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly stats: StatsService;
  readonly outages: OutageSource;
  readonly now: () => Instant;
}

/**
 * An outage as a viewer of the availability view may see it: staff every exclusion with who decided;
 * customers only approved ones (an exclusion no manager approved is no fact about their service).
 */
export function availabilityOutage(o: OutageView, staff: boolean): AvailabilityOutage {
  const ex = o.exclusion;
  let exclusion: AvailabilityExclusion | null = null;
  if (ex !== null && (staff || ex.status === 'approved'))
    exclusion = {
      category: ex.category,
      status: ex.status,
      ...(staff && ex.decidedBy !== undefined ? { decidedBy: ex.decidedBy } : {}),
      ...(staff && ex.decidedAt !== undefined ? { decidedAt: ex.decidedAt } : {}),
    };
  return {
    id: o.id,
    start: o.start,
    end: o.end,
    affected: o.affected,
    ...(staff ? { cause: o.cause } : {}),
    exclusion,
    countsAs: ex?.status === 'approved' ? 'excluded' : 'down',
  };
}

function whatIfInput(q: Readonly<Record<string, string>>): Parsed<{ priority: Priority; at: Instant }> {
  const priority = q['priority'] as Priority | undefined;
  if (priority === undefined || !isPriority(priority))
    return badRequest('priority must be P1, P2 or P3.', 'priority');
  try {
    return { priority, at: parseInstant(q['at'] ?? '', 'at') };
  } catch (err) {
    return badRequest(err instanceof Error ? err.message : 'at is not a valid time.', 'at');
  }
}

export function slaRoutes(deps: SlaRouteDeps): RouteSpec[] {
  const { engine, policy } = deps;
  const zone = policy.timeZone;
  return [
    route(STAFF, {
      route: 'GET /api/dashboard',
      input: ({ query }) => monthParam(query['month'], undefined),
      handle: async (month) => ok(await deps.stats.dashboard(deps.now(), month)),
    }),
    route(ANYONE, {
      route: 'GET /api/availability',
      input: ({ query }) => monthParam(query['month'], monthOf(deps.now(), zone)),
      handle: async (month, { principal }) => {
        const now = deps.now();
        const names = Array.from({ length: 12 }, (_, i) => monthMinus(month, 11 - i));
        const first = monthBounds(names[0] ?? month, zone).start;
        const { start, end } = monthBounds(month, zone);
        const outages = await deps.outages.overlapping(first, end);
        const spans = outages.map((o) => ({
          start: o.start,
          end: o.end,
          exclusion: o.exclusion?.status === 'approved' ? o.exclusion.category : null,
        }));
        const staff = principal.role !== 'customer';
        return ok({
          now,
          month,
          target: policy.availability.target,
          exclusions: policy.availability.exclusions,
          current: monthAvailability(policy, month, spans, now),
          history: names.map((m) => monthAvailability(policy, m, spans, now)),
          outages: outages
            .filter((o) => o.start < end && (o.end ?? now) > start)
            .map((o) => availabilityOutage(o, staff)),
        });
      },
    }),
    route(STAFF, {
      route: 'GET /api/whatif',
      input: ({ query }) => whatIfInput(query),
      handle: ({ priority, at }) => {
        const result = engine.evaluate({ dispatched: at, priority });
        const target = (name: TargetName): WhatIfTarget => {
          const r = result[name];
          return {
            target: name,
            due: r.due,
            clock: r.basis.clock,
            budgetMinutes: r.basis.budgetMinutes,
            warnings: engine.notices(result, name).map((n) => ({
              percent: n.percent,
              firesAt: n.firesAt,
              deliverAt: n.deliverAt,
            })),
          };
        };
        return ok({
          priority,
          at,
          window: result.window,
          supportOpen: engine.calendar.inSupportHours(at),
          response: target('response'),
          workaround: target('workaround'),
        });
      },
    }),
  ];
}
