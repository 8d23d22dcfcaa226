// The queue and one ticket. Customers see their own tenant's tickets only; a look-up of another tenant's
// ticket answers exactly like a missing one, and is recorded in the audit log for staff.
import type { Logger } from '../../../log';
import type { AuditLog } from '../../storage/audit';
import type { Instant, SlaEngine } from '../../../domain/sla';
import { isPriority } from '../../../domain/tickets/fields';
import { recordRefusedLookup } from '../../../domain/tickets/refused';
import { normaliseId, type Scope, type TicketService } from '../../../domain/tickets/service';
import type { Principal } from '../auth';
import type { TicketRow } from '../contract';
import { listParam } from '../params';
import { ANYONE, badRequest, isProblem, notFound, ok, route } from '../route';
import type { ApiRequest, Parsed, RouteSpec } from '../route';
import { ticketDetail, ticketRow } from '../views';

export interface TicketRouteDeps {
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  /** The ticket id prefix ("TM"), for ids typed as a bare number. */
  readonly ticketPrefix: string;
  readonly log: Logger;
  readonly now: () => Instant;
  /** Where refused look-ups of another tenant's (or no) ticket are recorded. */
  readonly audit?: AuditLog | undefined;
}

const QUEUE_MAX = 200;
/** Rows scanned at most for one filtered queue page. */
const SCAN_MAX = 2000;
const STATES = new Set(['on-track', 'at-risk', 'breached', 'paused', 'met', 'closed']);
const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;

function scopeOf(p: Principal): Scope {
  return p.role === 'customer' ? { kind: 'tenant', tenantId: p.tenantId } : { kind: 'staff' };
}

interface QueueFilter {
  readonly priorities: ReadonlySet<string>;
  readonly states: ReadonlySet<string>;
  readonly customers: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
  readonly text: string;
}

function filterOf(q: Readonly<Record<string, string>>, p: Principal): Parsed<QueueFilter> {
  const priorities = listParam(q['priority']);
  if (priorities.some((x) => !isPriority(x)))
    return badRequest('priority must be P1, P2 or P3 (comma-separated).', 'priority');
  const states = listParam(q['state']);
  if (states.some((x) => !STATES.has(x)))
    return badRequest('state must be on-track, at-risk, breached, paused, met or closed.', 'state');
  const owners = listParam(q['owner']).map((x) => x.toLowerCase());
  if (q['mine'] === '1' || q['mine'] === 'true') owners.push(p.userId);
  const text = (q['q'] ?? '').trim().toLowerCase();
  if (text.length > 200) return badRequest('search text is at most 200 characters.', 'q');
  return {
    priorities: new Set(priorities),
    states: new Set(states),
    customers: new Set(listParam(q['customer']).map((x) => x.toLowerCase())),
    owners: new Set(owners),
    text,
  };
}

function matches(r: TicketRow, f: QueueFilter): boolean {
  if (f.priorities.size > 0 && !f.priorities.has(r.priority)) return false;
  if (f.states.size > 0 && !f.states.has(r.state)) return false;
  if (f.customers.size > 0 && !f.customers.has(r.tenantId)) return false;
  if (f.owners.size > 0 && !f.owners.has(r.owner === null ? 'none' : r.owner.id.toLowerCase())) return false;
  if (f.text !== '') {
    const hay = `${r.id} ${r.title} ${r.customerName} ${r.requester}`.toLowerCase();
    if (!hay.includes(f.text)) return false;
  }
  return true;
}

const filtered = (f: QueueFilter): boolean =>
  f.priorities.size + f.states.size + f.customers.size + f.owners.size > 0 || f.text !== '';

/** A ticket id typed in the search box: "TM-1042", "tm-1042" or "1042". */
function idSearch(text: string, prefix: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (TICKET_ID.test(t)) return t;
  if (/^\d{1,10}$/.test(t)) return `${prefix}-${t}`;
  return undefined;
}

interface QueueInput {
  readonly filter: QueueFilter;
  readonly limit: number;
  readonly cursor: string | undefined;
}

function queueInput({ query, principal }: ApiRequest): Parsed<QueueInput> {
  const filter = filterOf(query, principal);
  if (isProblem(filter)) return filter;
  const limit = Math.min(QUEUE_MAX, Math.max(1, Number(query['limit'] ?? 50) || 50));
  const cursor = query['next'] === undefined || query['next'] === '' ? undefined : query['next'];
  return { filter, limit, cursor };
}

export function ticketRoutes(deps: TicketRouteDeps): RouteSpec[] {
  const { engine } = deps;

  /** A customer's look-up of a ticket their tenant does not have, for the audit log. */
  const refusedLookup = async (principal: Principal, action: string, id: string): Promise<void> => {
    const { audit } = deps;
    if (principal.role !== 'customer' || audit === undefined) return;
    await recordRefusedLookup({ ...deps, audit }, principal, action, id);
  };

  /** Staff's filtered queue: pages of the whole queue, scanned until the page is full or SCAN_MAX rows. */
  const scan = async ({ filter, limit, cursor }: QueueInput, now: Instant) => {
    const rows: TicketRow[] = [];
    let next = cursor;
    let scanned = 0;
    for (;;) {
      const page = await deps.tickets.queue(200, next);
      scanned += page.items.length;
      for (const t of page.items) {
        const r = ticketRow(engine, t, now);
        if (matches(r, filter)) rows.push(r);
      }
      next = page.next;
      if (next === undefined || rows.length >= limit || scanned >= SCAN_MAX) break;
    }
    return { now, rows, next: next ?? null };
  };

  return [
    route(ANYONE, {
      route: 'GET /api/queue',
      input: queueInput,
      handle: async (input, { principal }) => {
        const { filter: f, limit, cursor } = input;
        const now = deps.now();
        const byId = idSearch(f.text, deps.ticketPrefix);
        if (byId !== undefined) {
          const got = await deps.tickets.get(scopeOf(principal), byId);
          if (!got.ok && got.error.code === 'TICKET_NOT_FOUND')
            await refusedLookup(principal, 'api.queue', byId);
          const rows = got.ok ? [ticketRow(engine, got.value, now)] : [];
          return ok({ now, rows, next: null });
        }
        if (principal.role === 'customer') {
          const [open, recent] = await Promise.all([
            deps.tickets.tenantOpen(principal.tenantId),
            deps.tickets.tenantTickets(principal.tenantId, 50),
          ]);
          const openIds = new Set(open.map((t) => t.id));
          const all = [...open, ...recent.items.filter((t) => !openIds.has(t.id))];
          const rows = all.map((t) => ticketRow(engine, t, now)).filter((r) => matches(r, f));
          return ok({ now, rows: rows.slice(0, limit), next: null });
        }
        if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,400}$/.test(cursor))
          return badRequest('next is not a valid cursor.', 'next');
        if (filtered(f)) return ok(await scan(input, now));
        const page = await deps.tickets.queue(limit, cursor);
        return ok({ now, rows: page.items.map((t) => ticketRow(engine, t, now)), next: page.next ?? null });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/tickets/:id',
      input: ({ params }) => {
        const id = normaliseId(params['id'] ?? '');
        return TICKET_ID.test(id) ? id : notFound();
      },
      handle: async (id, { principal }) => {
        const got = await deps.tickets.timeline(scopeOf(principal), id);
        if (!got.ok) {
          if (got.error.code === 'TICKET_NOT_FOUND') {
            await refusedLookup(principal, 'api.ticket', id);
            return notFound();
          }
          throw got.error;
        }
        return ok({
          now: deps.now(),
          ...ticketDetail(engine, got.value.ticket, got.value.events, principal, deps.now()),
        });
      },
    }),
  ];
}
