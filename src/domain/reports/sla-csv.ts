// The per-ticket SLA export: one CSV row per ticket and target due in a month (sla-month.ts), times as
// ISO 8601 with the support zone's offset, durations as numbers of minutes. Pure; CSV rules in csv.ts.
import { isoInZone, type Instant } from '../sla';
import { toCsv } from './csv';
import type { SlaLine } from './sla-month';

export const SLA_CSV_HEADER = [
  'ticket',
  'customer',
  'title',
  'priority',
  'owner',
  'target',
  'clock',
  'counted_from',
  'due',
  'met_at',
  'business_elapsed_min',
  'wall_elapsed_min',
  'paused_min',
  'breached',
] as const;

/**
 * The export's text: UTF-8 BOM, header, CRLF rows; blank `due` while a wait stops the clock, blank `met_at`
 * while unmet.
 * @example slaCsv(lines, 'America/New_York').split('\r\n')[1]
 *   // 'TM-1,Contoso,Calls drop,P1,Eddie Engineer,response,continuous,2026-11-02T10:00:00.000-05:00,…,20,20,0,no'
 */
export function slaCsv(lines: readonly SlaLine[], zone: string): string {
  const at = (t: Instant | null): string => (t === null ? '' : isoInZone(t, zone));
  return toCsv(
    SLA_CSV_HEADER,
    lines.map((l) => [
      l.ticketId,
      l.customerName,
      l.title,
      l.priority,
      l.owner?.name ?? '',
      l.target,
      l.clock,
      at(l.countedFrom),
      at(l.due),
      at(l.metAt),
      l.businessMinutes,
      l.wallMinutes,
      l.pausedMinutes,
      l.outcome === 'breached' ? 'yes' : 'no',
    ]),
  );
}
