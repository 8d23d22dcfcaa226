// Answering a filtered, sorted or searched queue: at most SCAN_MAX tickets read per request (the open index
// page by page; for resolved and closed tickets each tenant's listing, newest first), filtered, matched on
// their search texts, sorted, and one page of them returned (the cursor is an offset into that order).
import type { Instant, SlaEngine } from '../../domain/sla';
import type { Ticket } from '../../domain/tickets/model';
import { searchText, ticketMatches, type SearchText } from '../../domain/tickets/search';
import type { TicketService } from '../../domain/tickets/service';
import type { Principal } from './auth';
import type { QueuePage, TicketRow } from './contract';
import { passes, sortRows, type QueueQuery } from './queue-query';
import { ticketRow } from './views';

/** Tickets read at most for one request (heads; a larger desk needs an index by date: see docs/storage.md). */
export const SCAN_MAX = 2000;
/** Timelines read at most for one searched request: tickets stored before search texts were kept. */
const OLD_TIMELINES = 100;
const PAGE = 200;
const OFFSET = /^s\.(\d{1,5})$/;

interface Candidates {
  readonly tickets: Ticket[];
  /** False when SCAN_MAX cut the reading short. */
  readonly complete: boolean;
}

/** Reads pages until the list ends or `budget` tickets are read. */
async function pages(
  read: (limit: number, next?: string) => Promise<{ items: readonly Ticket[]; next?: string | undefined }>,
  budget: number,
): Promise<Candidates> {
  const tickets: Ticket[] = [];
  let next: string | undefined;
  for (;;) {
    const page = await read(Math.min(PAGE, budget - tickets.length), next);
    tickets.push(...page.items);
    next = page.next;
    if (next === undefined) return { tickets, complete: true };
    if (tickets.length >= budget) return { tickets, complete: false };
  }
}

async function candidates(tickets: TicketService, q: QueueQuery, p: Principal): Promise<Candidates> {
  const closedToo = q.lifecycle.has('resolved') || q.lifecycle.has('closed');
  if (p.role === 'customer') {
    // One tenant: its open list (bounded by the repo), and its whole listing when closed tickets count.
    if (closedToo) return pages((limit, next) => tickets.tenantTickets(p.tenantId, limit, next), SCAN_MAX);
    return { tickets: await tickets.tenantOpen(p.tenantId), complete: true };
  }
  if (!closedToo) return pages((limit, next) => tickets.queue(limit, next), SCAN_MAX);
  // Every tenant's listing (the customer filter narrows the tenants), newest first, sharing the budget.
  const all = await tickets.tenants();
  const tenants = q.customers.size > 0 ? all.filter((t) => q.customers.has(t.toLowerCase())) : all;
  const share = Math.max(PAGE, Math.ceil(SCAN_MAX / Math.max(1, tenants.length)));
  const lists = await Promise.all(
    tenants.map((tenant) => pages((limit, next) => tickets.tenantTickets(tenant, limit, next), share)),
  );
  return { tickets: lists.flatMap((l) => l.tickets), complete: lists.every((l) => l.complete) };
}

/** The search texts of tickets that have none yet (stored before they were kept), from their timelines. */
async function oldTexts(tickets: TicketService, old: readonly Ticket[]): Promise<Map<string, SearchText>> {
  const out = new Map<string, SearchText>();
  for (let i = 0; i < old.length; i += 16) {
    const chunk = old.slice(i, i + 16);
    const read = await Promise.all(
      chunk.map((t) => tickets.timeline({ kind: 'tenant', tenantId: t.tenantId }, t.id)),
    );
    read.forEach((got, k) => {
      const t = chunk[k];
      if (t !== undefined && got.ok) out.set(t.id, searchText(undefined, got.value.events));
    });
  }
  return out;
}

export function validCursor(cursor: string | undefined): boolean {
  return cursor === undefined || OFFSET.test(cursor);
}

/** One page of the queue's answer to `q` (`validCursor(q.cursor)` checked before). */
export async function answerQueue(
  deps: { readonly tickets: TicketService; readonly engine: SlaEngine },
  q: QueueQuery,
  p: Principal,
  now: Instant,
): Promise<QueuePage> {
  const found = await candidates(deps.tickets, q, p);
  const seen = new Set<string>();
  const kept: { t: Ticket; r: TicketRow }[] = [];
  for (const t of found.tickets) {
    if (seen.has(t.id) || (p.role === 'customer' && t.tenantId !== p.tenantId)) continue;
    seen.add(t.id);
    const r = ticketRow(deps.engine, t, now);
    if (passes(t, r, q)) kept.push({ t, r });
  }
  let complete = found.complete;
  let rows = kept;
  if (q.text !== '') {
    const old = kept.filter(({ t }) => t.search === undefined).map(({ t }) => t);
    if (old.length > OLD_TIMELINES) complete = false;
    const texts = await oldTexts(deps.tickets, old.slice(0, OLD_TIMELINES));
    const staff = p.role !== 'customer';
    rows = kept.filter(({ t }) => {
      // Beyond OLD_TIMELINES, an old ticket is matched on what its head keeps (its newest events).
      const s = t.search ?? texts.get(t.id) ?? searchText(undefined, t.recent);
      return ticketMatches(t, s, q.text, staff);
    });
  }
  const sorted = sortRows(
    rows.map(({ r }) => r),
    q,
  );
  const offset = Number(OFFSET.exec(q.cursor ?? '')?.[1] ?? 0);
  const end = offset + q.limit;
  return { now, rows: sorted.slice(offset, end), next: end < sorted.length ? `s.${end}` : null, complete };
}
