// Reads what a customer's monthly report needs (their tickets that can have deadlines in the month, and the
// month's outages) and builds it; the chat command and the tab's report route both ask through here.
import type { Outage } from '../outages/model';
import type { Policy } from '../policy/schema';
import { monthBounds, type Instant, type SlaEngine } from '../sla';
import type { Ticket } from '../tickets/model';
import { satisfactionFigures, type SatisfactionStore } from '../stats/satisfaction';
import { customerReport, REPORT_LOOKBACK_MS, type CustomerReport } from './customer';
import type { Reader } from './words';

export interface ReportSources {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: {
    createdBetween(from: Instant, to: Instant, tenantId?: string): Promise<readonly Ticket[]>;
  };
  readonly outages: { month(month: string, now: Instant): Promise<{ readonly outages: readonly Outage[] }> };
  /** The satisfaction counters: the report's ratings are its tenant's counter of the month (`t|<tenant>`). */
  readonly satisfaction?: Pick<SatisfactionStore, 'months'> | undefined;
}

/** One customer's report for one month, as of `now`, worded for `audience`. */
export async function gatherCustomerReport(
  src: ReportSources,
  month: string,
  tenantId: string,
  customerName: string,
  now: Instant,
  audience: Reader = 'customer',
): Promise<CustomerReport> {
  const { start, end } = monthBounds(month, src.policy.timeZone);
  const [tickets, m, rated] = await Promise.all([
    src.tickets.createdBetween(start - REPORT_LOOKBACK_MS, Math.min(end, now + 1), tenantId),
    src.outages.month(month, now),
    src.satisfaction?.months([month]),
  ]);
  const report = customerReport(
    src.policy,
    src.engine,
    month,
    tenantId,
    customerName,
    tickets,
    m.outages,
    now,
    audience,
  );
  if (rated === undefined) return report;
  // Every resolution of the month, however long before it the ticket was filed (the tickets read above go back
  // only REPORT_LOOKBACK_MS).
  return { ...report, satisfaction: satisfactionFigures(rated.get(month)?.get(`t|${tenantId}`)) };
}
