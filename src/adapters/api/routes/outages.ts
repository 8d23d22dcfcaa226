// Core Service outages: the service's status for everyone; for staff the month's outages, one outage with
// its history, recording one and changing it (end, edit, ask for an exclusion, a manager's decision).
// Customers never see causes, justifications or who did what.
import { z } from 'zod';
import type { AuditLog } from '../../storage/audit';
import { effectiveExclusion, type Outage } from '../../../domain/outages/model';
import type { OutageCommand } from '../../../domain/outages/commands';
import { OUTAGE_ID, type OutageService } from '../../../domain/outages/service';
import { monthOf } from '../../../domain/outages/time';
import type { Policy } from '../../../domain/policy/schema';
import type { Instant } from '../../../domain/sla';
import type { DomainError } from '../../../domain/tickets/errors';
import type { Actor } from '../../../domain/tickets/model';
import type { Principal } from '../auth';
import type { PublicOutage, StaffOutage } from '../contract';
import { recordRefusal } from '../audit';
import { bodyParam, monthOrCurrent, timeParam } from '../params';
import { ANYONE, isProblem, notFound, ok, problem, route, STAFF } from '../route';
import type { Parsed, Problem, RouteSpec } from '../route';
import { OUTAGE_LIMITS, textField } from '../../../domain/tickets/fields';

export interface OutageRouteDeps {
  readonly policy: Policy;
  readonly outages: OutageService;
  readonly audit: AuditLog;
  readonly now: () => Instant;
  /** Told after every change (the bot updates the outage's cards in Teams). */
}

/** A domain refusal as an answer: 400 naming the field, 403, 404, 409 for a stale or illegal change. */
function fromDomain(e: DomainError): Problem {
  const field = typeof e.details['field'] === 'string' ? e.details['field'] : undefined;
  switch (e.code) {
    case 'INVALID_INPUT':
      return problem(400, e.code, e.message, field);
    case 'NOT_ALLOWED':
      return problem(403, e.code, e.message);
    case 'OUTAGE_NOT_FOUND':
      return notFound();
    case 'STALE_OUTAGE':
    case 'ILLEGAL_MOVE':
      return problem(409, e.code, e.message);
    default:
      return problem(503, 'UNAVAILABLE', e.message);
  }
}

function outageJson(o: Outage, staff: true): StaffOutage;
function outageJson(o: Outage, staff: boolean): PublicOutage;
/** The outage as the tab shows it: customers never see causes, justifications or who did what. */
function outageJson(o: Outage, staff: boolean): PublicOutage | StaffOutage {
  const base = { id: o.id, start: o.start, end: o.end, ongoing: o.end === null, affected: o.affected };
  if (!staff) return base;
  return {
    ...base,
    cause: o.cause,
    exclusion: o.exclusion,
    countsAs: effectiveExclusion(o) === null ? 'down' : 'excluded',
    version: o.version,
    createdBy: o.createdBy,
    createdAt: o.createdAt,
    lastChange: o.lastChange,
  };
}

const text = (field: keyof typeof OUTAGE_LIMITS) => textField(OUTAGE_LIMITS[field]);
const instant = z.string().max(40);
const version = z.number().int().optional();
const recordSchema = z
  .object({
    start: instant,
    end: instant.nullable().optional(),
    affected: text('affected'),
    cause: text('cause').optional(),
    exclusion: z
      .object({ category: z.string().max(10), justification: text('justification') })
      .nullable()
      .optional(),
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/)
      .optional(),
  })
  .strict();
const changeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('end'), at: instant.optional(), version }).strict(),
  z
    .object({
      action: z.literal('edit'),
      start: instant.optional(),
      end: instant.nullable().optional(),
      affected: text('affected').optional(),
      cause: text('cause').optional(),
      version,
    })
    .strict(),
  z
    .object({
      action: z.literal('request-exclusion'),
      category: z.string().max(10),
      justification: text('justification'),
      version,
    })
    .strict(),
  z.object({ action: z.literal('withdraw-exclusion'), version }).strict(),
  z.object({ action: z.literal('approve-exclusion'), note: text('note').optional(), version }).strict(),
  z.object({ action: z.literal('reject-exclusion'), note: text('note').optional(), version }).strict(),
]);
type Change = z.infer<typeof changeSchema>;

const actorOf = (p: Principal): Actor => ({ id: p.userId, name: p.name, role: p.role });

export function outageRoutes(deps: OutageRouteDeps): RouteSpec[] {
  const zone = deps.policy.timeZone;
  /** The command a change asks for, its times read in the support zone. */
  const commandOf = (b: Change): Parsed<OutageCommand> => {
    switch (b.action) {
      case 'end': {
        const at = b.at === undefined ? deps.now() : timeParam(b.at, 'at', zone);
        return isProblem(at) ? at : { kind: 'end', at };
      }
      case 'edit': {
        const start = b.start === undefined ? undefined : timeParam(b.start, 'start', zone);
        if (isProblem(start)) return start;
        const end = b.end === undefined || b.end === null ? b.end : timeParam(b.end, 'end', zone);
        if (isProblem(end)) return end;
        return { kind: 'edit', start, end, affected: b.affected, cause: b.cause };
      }
      case 'request-exclusion':
        return { kind: 'request-exclusion', category: b.category, justification: b.justification };
      case 'withdraw-exclusion':
        return { kind: 'withdraw-exclusion' };
      case 'approve-exclusion':
        return { kind: 'approve-exclusion', note: b.note };
      case 'reject-exclusion':
        return { kind: 'reject-exclusion', note: b.note };
    }
  };

  return [
    route(ANYONE, {
      route: 'GET /api/status',
      handle: async (_input, { principal }) => {
        const now = deps.now();
        const month = await deps.outages.month(monthOf(now, zone), now);
        const ongoing = month.outages.filter((o) => o.end === null);
        return ok({
          service: deps.policy.availability.service,
          up: ongoing.length === 0,
          ongoing: ongoing.map((o) => outageJson(o, principal.role !== 'customer')),
          month: month.availability,
          timeZone: zone,
          at: now,
        });
      },
    }),
    route(STAFF, {
      route: 'GET /api/outages',
      input: ({ query }) => monthOrCurrent(query, deps.now(), zone),
      handle: async (month) => {
        const m = await deps.outages.month(month, deps.now());
        return ok({
          month,
          availability: m.availability,
          outages: m.outages.map((o) => outageJson(o, true)),
        });
      },
    }),
    route(STAFF, {
      route: 'GET /api/outages/:id',
      handle: async (_input, { params }) => {
        const got = await deps.outages.history(params['id'] ?? '');
        if (!got.ok) return fromDomain(got.error);
        return ok({ outage: outageJson(got.value.outage, true), history: got.value.changes });
      },
    }),
    route(STAFF, {
      route: 'POST /api/outages',
      input: ({ body }) => {
        const b = bodyParam(recordSchema, body);
        if (isProblem(b)) return b;
        const start = timeParam(b.start, 'start', zone);
        if (isProblem(start)) return start;
        const end = b.end === undefined || b.end === null ? null : timeParam(b.end, 'end', zone);
        if (isProblem(end)) return end;
        return { ...b, start, end };
      },
      handle: async (b, { principal }) => {
        const made = await deps.outages.record(
          actorOf(principal),
          {
            start: b.start,
            end: b.end,
            affected: b.affected,
            cause: b.cause ?? '',
            ...(b.exclusion === undefined || b.exclusion === null ? {} : { exclusion: b.exclusion }),
          },
          { actionId: b.requestId === undefined ? undefined : `api:${b.requestId}` },
        );
        if (!made.ok) return fromDomain(made.error);
        return ok({ outage: outageJson(made.value.outage, true) }, made.value.duplicate ? 200 : 201);
      },
    }),
    route(STAFF, {
      route: 'POST /api/outages/:id',
      input: ({ params, body }) => {
        const id = (params['id'] ?? '').toUpperCase();
        if (!OUTAGE_ID.test(id)) return notFound();
        const change = bodyParam(changeSchema, body);
        if (isProblem(change)) return change;
        const command = commandOf(change);
        return isProblem(command) ? command : { id, change, command };
      },
      handle: async ({ id, change, command }, { principal }) => {
        const acted = await deps.outages.act(id, actorOf(principal), command, {
          expectedVersion: change.version,
        });
        if (!acted.ok) {
          if (acted.error.code === 'NOT_ALLOWED')
            await recordRefusal(deps, principal, change.action, acted.error.message, id);
          return fromDomain(acted.error);
        }
        return ok({ outage: outageJson(acted.value.outage, true) });
      },
    }),
  ];
}
