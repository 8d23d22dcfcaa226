// Staff act on tickets from the tab: the same ticket commands as the channel's card buttons (bot/staff.ts),
// so permissions, ETags, the timeline, the root card and the customer's chat follow the same way; the events
// say they came from the tab. Customers are refused every route here, and the refusal is audited.
import { z } from 'zod';
import type { Logger } from '../../../log';
import type { Instant, SlaEngine } from '../../../domain/sla';
import type { Command } from '../../../domain/tickets/commands';
import type { DomainError } from '../../../domain/tickets/errors';
import { cleanText, LIMITS, parsePriority, textField } from '../../../domain/tickets/fields';
import type { Actor } from '../../../domain/tickets/model';
import { acknowledgeWaitingPage } from '../../../domain/tickets/paging';
import { previewPriority } from '../../../domain/tickets/preview';
import { normaliseId, type TicketService } from '../../../domain/tickets/service';
import type { AuditLog } from '../../storage/audit';
import type { AttachmentService } from '../../../domain/attachments/service';
import { recordRefusal } from '../audit';
import type { Principal } from '../auth';
import type { BulkResult, StaffPeople } from '../contract';
import { bodyParam } from '../params';
import { ANYONE, badRequest, isProblem, notFound, ok, problem, route } from '../route';
import type { ApiRequest, Parsed, Problem, RouteSpec } from '../route';
import { ticketDetail, ticketRow } from '../views';
import { deliveryViews, type DeliveryLog } from '../deliveries';

/** The staff directory as these routes use it: who can be picked, and a picked person's name. */
export interface StaffPicker {
  people(): StaffPeople['people'];
  nameOf(id: string): string | undefined;
}

export interface ActionRouteDeps {
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly staff: StaffPicker;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly now: () => Instant;
  /** Files sent with a reply (`attachments: [ids]`). */
  readonly attachments?: AttachmentService | undefined;
  /** Which customer messages reached their chat (GET …/deliveries); without it none reads as delivered. */
  readonly deliveries?: DeliveryLog | undefined;
}

const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;
/** Most tickets one bulk request may act on. */
export const BULK_MAX = 50;

const requestId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits or . _ : -');
const version = z.number().int().min(1).max(1e12).optional();
const common = { requestId, version };
const text = textField(LIMITS.message);
const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('take'), ...common }).strict(),
  z.object({ action: z.literal('acknowledge'), ...common }).strict(),
  z.object({ action: z.literal('assign'), to: z.string().max(LIMITS.id), ...common }).strict(),
  z
    .object({
      action: z.literal('reply'),
      text,
      attachments: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/))
        .max(20)
        .optional(),
      ...common,
    })
    .strict(),
  z.object({ action: z.literal('ask'), text, ...common }).strict(),
  z.object({ action: z.literal('workaround'), text, ...common }).strict(),
  z.object({ action: z.literal('note'), text, ...common }).strict(),
  z
    .object({
      action: z.literal('priority'),
      to: z.enum(['P1', 'P2', 'P3']),
      reason: textField(LIMITS.reason),
      ...common,
    })
    .strict(),
  z
    .object({
      action: z.literal('fix'),
      release: textField(LIMITS.release),
      text: text.optional(),
      ...common,
    })
    .strict(),
  z.object({ action: z.literal('resolve'), text: text.optional(), ...common }).strict(),
  z.object({ action: z.literal('reopen'), reason: textField(LIMITS.reason).optional(), ...common }).strict(),
]);
type ActionBody = z.infer<typeof actionSchema>;
const ACTIONS: readonly string[] = actionSchema.options.map((o) => o.shape.action.value);

const bulkSchema = z.discriminatedUnion('action', [
  z
    .object({ action: z.literal('take'), ids: z.array(z.string().max(40)).min(1).max(BULK_MAX), requestId })
    .strict(),
  z
    .object({
      action: z.literal('assign'),
      to: z.string().max(LIMITS.id),
      ids: z.array(z.string().max(40)).min(1).max(BULK_MAX),
      requestId,
    })
    .strict(),
]);

/** The domain's field names as the API calls them. */
const API_FIELD: Readonly<Record<string, string>> = {
  message: 'text',
  note: 'text',
  owner: 'to',
  priority: 'to',
};

/** A refusal of the ticket service as an answer: 400 naming the field, 403, 404, 409, 429 or 503. */
function fromDomain(e: DomainError): Problem {
  const raw = typeof e.details['field'] === 'string' ? e.details['field'] : undefined;
  switch (e.code) {
    case 'INVALID_INPUT':
      return problem(400, e.code, e.message, raw === undefined ? undefined : (API_FIELD[raw] ?? raw));
    case 'NOT_ALLOWED':
      return problem(403, e.code, e.message);
    case 'TICKET_NOT_FOUND':
      return notFound();
    case 'STALE_TICKET':
    case 'ILLEGAL_MOVE':
    case 'DUPLICATE_ACTION':
      return problem(409, e.code, e.message);
    case 'RATE_LIMITED':
      return problem(429, e.code, e.message);
    default:
      return problem(503, 'UNAVAILABLE', e.message);
  }
}

const actorOf = (p: Principal): Actor => ({ id: p.userId, name: p.name, role: p.role });

/** A ticket id from the path: 400 when it cannot be one. */
function idParam(raw: string | undefined): Parsed<string> {
  const id = normaliseId(raw ?? '');
  return TICKET_ID.test(id) ? id : badRequest('That is not a ticket id (like TM-1042).', 'id');
}

/** Checks a typed text the way the command will, named as the API names it. */
function checked(value: string | undefined, field: string, max: number, optional = false): Problem | null {
  const r = cleanText(value, field, max, optional);
  return r.ok ? null : badRequest(r.error.message, field);
}

export function actionRoutes(deps: ActionRouteDeps): RouteSpec[] {
  /** Customers may use none of these routes: 403, the same for every id, and an audit entry. */
  const staffOnly = async (req: ApiRequest, action: string): Promise<Problem | null> => {
    if (req.principal.role !== 'customer') return null;
    const target = req.params['id'];
    await recordRefusal(deps, req.principal, action, 'not support staff', target?.slice(0, 40));
    deps.log.warn('refused a staff action in the tab', { action, tenant: req.principal.tenantId });
    return problem(403, 'FORBIDDEN', 'Only support staff can do that.');
  };

  /** A picked owner: a person of the staff directory. */
  const ownerOf = (to: string): Parsed<{ id: string; name: string }> => {
    const id = to.trim().toLowerCase();
    const name = deps.staff.nameOf(id);
    return name === undefined ? badRequest('Pick someone from the staff list.', 'to') : { id, name };
  };

  /** The command an action names, once its fields are checked (acknowledge needs the ticket: see `handle`). */
  const commandOf = (b: ActionBody): Parsed<Command | 'acknowledge'> => {
    switch (b.action) {
      case 'take':
        return { kind: 'take' };
      case 'acknowledge':
        return 'acknowledge';
      case 'assign': {
        const to = ownerOf(b.to);
        return isProblem(to) ? to : { kind: 'assign', to };
      }
      case 'reply':
      case 'ask':
      case 'workaround':
      case 'note':
        return checked(b.text, 'text', LIMITS.message) ?? { kind: b.action, text: b.text };
      case 'priority':
        return (
          checked(b.reason, 'reason', LIMITS.reason) ?? {
            kind: 'change-priority',
            to: b.to,
            reason: b.reason,
          }
        );
      case 'fix':
        return (
          checked(b.release, 'release', LIMITS.release) ??
          checked(b.text, 'text', LIMITS.message, true) ?? { kind: 'fix', release: b.release, text: b.text }
        );
      case 'resolve':
        return checked(b.text, 'text', LIMITS.message, true) ?? { kind: 'resolve', text: b.text };
      case 'reopen':
        return checked(b.reason, 'reason', LIMITS.reason, true) ?? { kind: 'reopen', reason: b.reason };
    }
  };

  /** Acknowledge is the page card's command, for the page of this ticket that awaits it (409 when none does). */
  const acknowledging = async (
    id: string,
    named: Command | 'acknowledge',
    principal: Principal,
  ): Promise<Command | Problem> => {
    if (named !== 'acknowledge') return named;
    const got = await deps.tickets.get({ kind: 'staff' }, id);
    if (!got.ok) return fromDomain(got.error);
    const made = acknowledgeWaitingPage(deps.engine, got.value, actorOf(principal), deps.now());
    return made.ok ? made.value : fromDomain(made.error);
  };

  /** A reply's `attachments`: files of this ticket (not deleted), else 400 naming the one that is not. */
  const withFiles = async (id: string, body: ActionBody, command: Command): Promise<Command | Problem> => {
    if (body.action !== 'reply' || command.kind !== 'reply' || body.attachments === undefined) return command;
    if (body.attachments.length === 0) return command;
    if (deps.attachments === undefined) return badRequest('Files cannot be sent here.', 'attachments');
    const listed = await deps.attachments.list({ kind: 'staff' }, id);
    if (!listed.ok) return fromDomain(listed.error);
    const files = [];
    for (const fileId of new Set(body.attachments)) {
      const file = listed.value.find((a) => a.id === fileId);
      if (file === undefined) return badRequest(`${id} has no file ${fileId}.`, 'attachments');
      files.push({
        id: file.id,
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        source: file.source,
      });
    }
    return { ...command, files };
  };

  return [
    route(ANYONE, {
      route: 'POST /api/tickets/:id/actions',
      input: async (req) => {
        const refused = await staffOnly(req, 'ticket.action');
        if (refused !== null) return refused;
        const id = idParam(req.params['id']);
        if (isProblem(id)) return id;
        const action = (req.body as { action?: unknown } | null | undefined)?.action;
        if (typeof action !== 'string' || !ACTIONS.includes(action))
          return badRequest(`action must be one of ${ACTIONS.join(', ')}.`, 'action');
        const body = bodyParam(actionSchema, req.body);
        if (isProblem(body)) return body;
        const command = commandOf(body);
        return isProblem(command) ? command : { id, body, command };
      },
      handle: async ({ id, body, command: named }, { principal }) => {
        const acked = await acknowledging(id, named, principal);
        if (isProblem(acked)) return acked;
        const command = await withFiles(id, body, acked);
        if (isProblem(command)) return command;
        const acted = await deps.tickets.act({ kind: 'staff' }, id, actorOf(principal), command, {
          actionId: `tab:${body.requestId}`,
          expectedVersion: body.version,
          via: 'tab',
        });
        if (!acted.ok) return fromDomain(acted.error);
        const got = await deps.tickets.timeline({ kind: 'staff' }, id);
        if (!got.ok) return fromDomain(got.error);
        const now = deps.now();
        return ok({ now, ...ticketDetail(deps.engine, got.value.ticket, got.value.events, principal, now) });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/tickets/:id/priority-preview',
      input: async (req) => {
        const refused = await staffOnly(req, 'ticket.priority-preview');
        if (refused !== null) return refused;
        const id = idParam(req.params['id']);
        if (isProblem(id)) return id;
        const to = parsePriority(req.query['to']);
        return to.ok ? { id, to: to.value } : badRequest('to must be P1, P2 or P3.', 'to');
      },
      handle: async ({ id, to }, { principal }) => {
        const got = await deps.tickets.get({ kind: 'staff' }, id);
        if (!got.ok) return fromDomain(got.error);
        const preview = previewPriority(got.value, to, actorOf(principal), deps.now(), deps.engine);
        return preview.ok ? ok(preview.value) : fromDomain(preview.error);
      },
    }),
    route(ANYONE, {
      route: 'GET /api/tickets/:id/deliveries',
      input: async (req) => {
        const refused = await staffOnly(req, 'ticket.deliveries');
        if (refused !== null) return refused;
        const id = idParam(req.params['id']);
        if (isProblem(id)) return id;
        const since = Number(req.query['since'] ?? 0);
        return Number.isSafeInteger(since) && since >= 0
          ? { id, since }
          : badRequest('since must be an event number (0 or more).', 'since');
      },
      handle: async ({ id, since }) => {
        const got = await deps.tickets.timeline({ kind: 'staff' }, id);
        if (!got.ok) return fromDomain(got.error);
        const { ticket, events } = got.value;
        return ok({ deliveries: await deliveryViews(ticket, events, since, deps.deliveries) });
      },
    }),
    route(ANYONE, {
      route: 'POST /api/tickets/bulk',
      input: async (req) => {
        const refused = await staffOnly(req, 'ticket.bulk');
        if (refused !== null) return refused;
        const body = bodyParam(bulkSchema, req.body);
        if (isProblem(body)) return body;
        const ids = [...new Set(body.ids.map(normaliseId))];
        if (ids.some((x) => !TICKET_ID.test(x)))
          return badRequest('ids must be ticket ids (like TM-1042).', 'ids');
        let command: Command = { kind: 'take' };
        if (body.action === 'assign') {
          const to = ownerOf(body.to);
          if (isProblem(to)) return to;
          command = { kind: 'assign', to };
        }
        return { ids, requestId: body.requestId, command };
      },
      handle: async ({ ids, requestId: key, command }, { principal }) => {
        const results: BulkResult[] = [];
        // One at a time: each is a full command with its own save, card update and customer delivery.
        for (const id of ids) {
          const acted = await deps.tickets.act({ kind: 'staff' }, id, actorOf(principal), command, {
            actionId: `tab:${key}:${id}`,
            via: 'tab',
          });
          if (acted.ok)
            results.push({ id, ok: true, row: ticketRow(deps.engine, acted.value.ticket, deps.now()) });
          else {
            // Staff may know that an id does not exist: the domain's own words, not the API's "Not found.".
            const p = fromDomain(acted.error);
            results.push({ id, ok: false, code: p.body.error.code, message: acted.error.message });
          }
        }
        return ok({ results });
      },
    }),
    route(ANYONE, {
      route: 'GET /api/staff',
      input: async (req) => (await staffOnly(req, 'staff')) ?? undefined,
      handle: () => ok({ people: deps.staff.people() }),
    }),
  ];
}
