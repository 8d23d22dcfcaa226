// What a manager asks next, staff only: open work per engineer, tickets filed and resolved per week, SLA
// met % per engineer and customer for a month, and that month's per-ticket SLA export as CSV. Customers are
// refused (403) and the refusal is audited. The figures are worked out in domain/stats and domain/reports.
import type { AuditLog } from '../../storage/audit';
import type { Policy } from '../../../domain/policy/schema';
import { REPORT_LOOKBACK_MS } from '../../../domain/reports/customer';
import { slaCsv } from '../../../domain/reports/sla-csv';
import {
  byCustomer,
  byOwner,
  MET_RULE,
  metBy,
  metTallies,
  slaLines,
} from '../../../domain/reports/sla-month';
import { monthBounds, type Instant, type SlaEngine } from '../../../domain/sla';
import { trendStart, weeklyTrend } from '../../../domain/stats/trend';
import { workload } from '../../../domain/stats/workload';
import type { Ticket } from '../../../domain/tickets/model';
import type { TicketService } from '../../../domain/tickets/service';
import { recordRefusal } from '../audit';
import type { Principal } from '../auth';
import { monthOrCurrent } from '../params';
import { ANYONE, badRequest, ok, problem, route } from '../route';
import type { ApiRequest, Parsed, Problem, RouteSpec } from '../route';
import { ticketRow } from '../views';

export interface InsightRouteDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  /** The configured staff by id, with their names (each gets a workload row, even with nothing owned). */
  readonly staff: ReadonlyMap<string, string>;
  readonly audit?: AuditLog | undefined;
  readonly now: () => Instant;
}

/** Most open tickets the workload and trend read (pages of the open queue). */
export const OPEN_MAX = 5_000;
/** How far before the trend's first week tickets are read, to see those resolved within it. */
export const TREND_LOOKBACK_MS = 92 * 24 * 60 * 60_000;
const MAX_WEEKS = 26;

/** Every open ticket, up to OPEN_MAX, through the open queue's pages. */
async function openTickets(tickets: TicketService): Promise<{ items: Ticket[]; truncated: boolean }> {
  const items: Ticket[] = [];
  let next: string | undefined;
  do {
    const page = await tickets.queue(500, next);
    items.push(...page.items);
    next = page.next;
  } while (next !== undefined && items.length < OPEN_MAX);
  return { items: items.slice(0, OPEN_MAX), truncated: next !== undefined || items.length > OPEN_MAX };
}

/** A month's tickets: filed from REPORT_LOOKBACK_MS before it to its end (or now), resolved and closed too. */
function monthTickets(deps: InsightRouteDeps, month: string, now: Instant): Promise<Ticket[]> {
  const { start, end } = monthBounds(month, deps.policy.timeZone);
  return deps.tickets.createdBetween(start - REPORT_LOOKBACK_MS, Math.min(end, now + 1));
}

export function insightRoutes(deps: InsightRouteDeps): RouteSpec[] {
  const { engine, policy } = deps;

  /** Staff pass; a customer gets the router's 403 (before any input is read), recorded in the audit log. */
  const staffOnly = async (
    principal: Principal,
    action: string,
    path: string,
  ): Promise<Problem | undefined> => {
    if (principal.role !== 'customer') return undefined;
    if (deps.audit !== undefined)
      await recordRefusal({ ...deps, audit: deps.audit }, principal, action, 'staff only', path);
    return problem(403, 'FORBIDDEN', 'You do not have access to this.');
  };

  /** The staff check, then the `month` (the support zone's current one when absent). */
  const month =
    (action: string, path: string) =>
    async (req: ApiRequest): Promise<Parsed<string>> =>
      (await staffOnly(req.principal, action, path)) ??
      monthOrCurrent(req.query, deps.now(), policy.timeZone);

  return [
    route(ANYONE, {
      route: 'GET /api/insights/workload',
      input: ({ principal }) => staffOnly(principal, 'insights.workload', '/api/insights/workload'),
      handle: async () => {
        const now = deps.now();
        const open = await openTickets(deps.tickets);
        const states = open.items.map((ticket) => ({ ticket, state: ticketRow(engine, ticket, now).state }));
        const staff = [...deps.staff].map(([id, name]) => ({ id, name }));
        return ok({
          now,
          rows: workload(states, staff),
          tickets: open.items.length,
          truncated: open.truncated,
        });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/insights/trend',
      input: async ({ principal, query }) => {
        const refused = await staffOnly(principal, 'insights.trend', '/api/insights/trend');
        if (refused !== undefined) return refused;
        const raw = query['weeks'] ?? '12';
        const weeks = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
        return weeks >= 1 && weeks <= MAX_WEEKS
          ? weeks
          : badRequest(`weeks must be a whole number from 1 to ${MAX_WEEKS}.`, 'weeks');
      },
      handle: async (weeks) => {
        const now = deps.now();
        const since = trendStart(now, policy.timeZone, weeks) - TREND_LOOKBACK_MS;
        const [filed, open] = await Promise.all([
          deps.tickets.createdBetween(since, now + 1),
          openTickets(deps.tickets),
        ]);
        const byId = new Map<string, Ticket>();
        for (const t of [...filed, ...open.items]) byId.set(t.id, t);
        return ok({
          now,
          timeZone: policy.timeZone,
          timeZoneLabel: policy.timeZoneLabel,
          weeks: weeklyTrend([...byId.values()], policy.timeZone, now, weeks),
          since,
        });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/insights/sla',
      input: month('insights.sla', '/api/insights/sla'),
      handle: async (m) => {
        const now = deps.now();
        const lines = slaLines(engine, m, await monthTickets(deps, m, now), now);
        return ok({
          now,
          month: m,
          timeZone: policy.timeZone,
          timeZoneLabel: policy.timeZoneLabel,
          partial: now < monthBounds(m, policy.timeZone).end,
          rule: MET_RULE,
          all: metTallies(lines),
          byEngineer: metBy(lines, byOwner),
          byCustomer: metBy(lines, byCustomer),
        });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/export/sla.csv',
      input: month('export.sla', '/api/export/sla.csv'),
      handle: async (m) => {
        const now = deps.now();
        const lines = slaLines(engine, m, await monthTickets(deps, m, now), now);
        return {
          status: 200,
          body: slaCsv(lines, policy.timeZone),
          contentType: 'text/csv; charset=utf-8',
          filename: `sla-${m}.csv`,
        };
      },
    }),
  ];
}
