// The queue and one ticket. Customers see their own tenant's tickets only; a look-up of another tenant's
// ticket answers exactly like a missing one, and is recorded in the audit log for staff.
import type { Logger } from '../../../log';
import type { AuditLog } from '../../storage/audit';
import type { Instant, SlaEngine } from '../../../domain/sla';
import { recordRefusedLookup } from '../../../domain/tickets/refused';
import { normaliseId, type Scope, type TicketService } from '../../../domain/tickets/service';
import type { Principal } from '../auth';
import { plainQueue, queueQuery } from '../queue-query';
import { answerQueue, validCursor } from '../queue-read';
import { ANYONE, badRequest, notFound, ok, route } from '../route';
import type { RouteSpec } from '../route';
import { customerRow, ticketDetail, ticketRow } from '../views';
import type { AttachmentService } from '../../../domain/attachments/service';
import { attachmentView } from './attachments';

export interface TicketRouteDeps {
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  /** The ticket id prefix ("TM"), for ids typed as a bare number. */
  readonly ticketPrefix: string;
  readonly log: Logger;
  readonly now: () => Instant;
  /** Where refused look-ups of another tenant's (or no) ticket are recorded. */
  readonly audit?: AuditLog | undefined;
  /** The ticket's files, listed on its page. */
  readonly attachments?: AttachmentService | undefined;
}

const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;
/** A cursor of the open index (the plain queue's pages). */
const INDEX_CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

function scopeOf(p: Principal): Scope {
  return p.role === 'customer' ? { kind: 'tenant', tenantId: p.tenantId } : { kind: 'staff' };
}

/** A ticket id typed in the search box: "TM-1042", "tm-1042" or "1042". */
function idSearch(text: string, prefix: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (TICKET_ID.test(t)) return t;
  if (/^\d{1,10}$/.test(t)) return `${prefix}-${t}`;
  return undefined;
}

export function ticketRoutes(deps: TicketRouteDeps): RouteSpec[] {
  const { engine } = deps;

  /** A customer's look-up of a ticket their tenant does not have, for the audit log. */
  const refusedLookup = async (principal: Principal, action: string, id: string): Promise<void> => {
    const { audit } = deps;
    if (principal.role !== 'customer' || audit === undefined) return;
    await recordRefusedLookup({ ...deps, audit }, principal, action, id);
  };

  return [
    route(ANYONE, {
      route: 'GET /api/queue',
      input: ({ query, principal }) => queueQuery(query, principal, deps.engine.calendar.timeZone),
      handle: async (q, { principal }) => {
        const now = deps.now();
        if (principal.role !== 'customer' && plainQueue(q)) {
          if (q.cursor !== undefined && !INDEX_CURSOR.test(q.cursor))
            return badRequest('next is not a valid cursor.', 'next');
          const page = await deps.tickets.queue(q.limit, q.cursor);
          const rows = page.items.map((t) => ticketRow(engine, t, now));
          return ok({ now, rows, next: page.next ?? null, complete: true });
        }
        if (!validCursor(q.cursor)) return badRequest('next is not a valid cursor.', 'next');
        const found = await answerQueue(deps, q, principal, now);
        // Customers see owners by name only (customerRow).
        const page = principal.role === 'customer' ? { ...found, rows: found.rows.map(customerRow) } : found;
        const byId = idSearch(q.text, deps.ticketPrefix);
        if (byId === undefined) return ok(page);
        // An id ("1042", "TM-1042") is searched as text too ("8841" in "call id: 8841-22-XK"); the ticket
        // it names comes first, whatever the filters, on the first page. A customer's look-up is scoped to
        // their tenant: another tenant's ticket answers like a missing one, and is audited when the text
        // found nothing either.
        const got = await deps.tickets.get(scopeOf(principal), byId);
        if (!got.ok) {
          if (got.error.code === 'TICKET_NOT_FOUND' && page.rows.length === 0 && q.cursor === undefined)
            await refusedLookup(principal, 'api.queue', byId);
          return ok(page);
        }
        const rest = page.rows.filter((r) => r.id !== got.value.id);
        if (q.cursor !== undefined) return ok({ ...page, rows: rest });
        const first = ticketRow(engine, got.value, now);
        return ok({
          ...page,
          rows: [principal.role === 'customer' ? customerRow(first) : first, ...rest],
        });
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
        const files = await deps.attachments?.list(scopeOf(principal), id);
        return ok({
          now: deps.now(),
          ...ticketDetail(engine, got.value.ticket, got.value.events, principal, deps.now()),
          attachments: files?.ok === true ? files.value.map(attachmentView) : [],
          ...(deps.attachments === undefined ? {} : { attachmentLimits: deps.attachments.limits }),
        });
      },
    }),
  ];
}
