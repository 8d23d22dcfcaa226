// The monthly reports: availability for everyone, a customer's SLA report (customers only ever their own
// tenant's; staff name the tenant), each as JSON, a CSV download or a printable page (with its own strict CSP).
import type { AuditLog } from '../../storage/audit';
import type { OutageService } from '../../../domain/outages/service';
import type { Policy } from '../../../domain/policy/schema';
import { availabilityReport } from '../../../domain/reports/availability';
import { gatherCustomerReport } from '../../../domain/reports/gather';
import { availabilityCsv, availabilityHtml, customerCsv, customerHtml } from '../../../domain/reports/render';
import type { Instant, SlaEngine } from '../../../domain/sla';
import type { TicketService } from '../../../domain/tickets/service';
import type { SatisfactionStore } from '../../../domain/stats/satisfaction';
import { recordRefusal } from '../audit';
import { withCspMeta } from '../page-csp';
import { formatParam, monthOrCurrent, type Format } from '../params';
import { ANYONE, badRequest, isProblem, notFound, ok, route } from '../route';
import type { ApiRequest, Parsed, Reply, RouteSpec } from '../route';

export interface ReportRouteDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly outages: OutageService;
  readonly tickets: TicketService;
  /** Customer tenants by id, with their account names. */
  readonly customers: ReadonlyMap<string, string>;
  readonly audit: AuditLog;
  readonly now: () => Instant;
  /** The satisfaction counters (the customer report's "How we did"); none: counted from the tickets read. */
  readonly satisfaction?: Pick<SatisfactionStore, 'months'> | undefined;
}

const CSV = 'text/csv; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/** A report in the format asked for: JSON, a CSV file offered as `csvName`, or a printable page. */
function answer<R>(
  format: Format,
  report: R,
  csv: (r: R) => string,
  html: (r: R) => string,
  csvName: string,
): Reply<R> {
  if (format === 'csv') return { status: 200, body: csv(report), contentType: CSV, filename: csvName };
  if (format === 'html') return { status: 200, body: withCspMeta(html(report)), contentType: HTML };
  return ok(report);
}

function monthAndFormat(
  deps: ReportRouteDeps,
  req: ApiRequest,
): Parsed<{ readonly month: string; readonly format: Format }> {
  const month = monthOrCurrent(req.query, deps.now(), deps.policy.timeZone);
  if (isProblem(month)) return month;
  const format = formatParam(req.query);
  return isProblem(format) ? format : { month, format };
}

export function reportRoutes(deps: ReportRouteDeps): RouteSpec[] {
  return [
    route(ANYONE, {
      route: 'GET /api/reports/availability',
      input: (req) => monthAndFormat(deps, req),
      handle: async ({ month, format }, { principal }) => {
        const now = deps.now();
        const m = await deps.outages.month(month, now);
        const audience = principal.role === 'customer' ? 'customer' : 'staff';
        const report = availabilityReport(deps.policy, month, m.outages, now, audience);
        return answer(format, report, availabilityCsv, availabilityHtml, `availability-${month}.csv`);
      },
    }),
    route(ANYONE, {
      route: 'GET /api/reports/sla',
      input: (req) => monthAndFormat(deps, req),
      handle: async ({ month, format }, { principal, query }) => {
        const asked = (query['tenant'] ?? '').toLowerCase();
        let tenantId: string;
        if (principal.role === 'customer') {
          tenantId = principal.tenantId;
          // Another tenant's report is "not found", exactly like one that does not exist.
          if (asked !== '' && asked !== tenantId) {
            await recordRefusal(deps, principal, 'report.sla', "another tenant's report", asked);
            return notFound();
          }
        } else {
          if (asked === '') return badRequest('tenant is required: the customer tenant id.', 'tenant');
          tenantId = asked;
        }
        const customerName =
          deps.customers.get(tenantId) ??
          (principal.role === 'customer' ? principal.customerName : undefined);
        if (customerName === undefined) return notFound();
        const audience = principal.role === 'customer' ? 'customer' : 'staff';
        const report = await gatherCustomerReport(deps, month, tenantId, customerName, deps.now(), audience);
        const name = `sla-report-${customerName.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 60)}-${month}.csv`;
        return answer(format, report, customerCsv, customerHtml, name);
      },
    }),
  ];
}
