// Tab API handlers for outages, service status and the monthly reports. Each takes an authenticated caller
// ({ role, tenantId, … }, as the API's token check produced it) and the request's params, query and body,
// and returns { status, body } (JSON) or a download (CSV, printable HTML). Thin: validate, call the outage
// service or a pure report, shape the answer. A customer only ever sees their own tenant's report.
import { z } from 'zod';
import type { AuditLog } from '../storage/audit';
import { effectiveExclusion, type Outage, type OutageChange } from '../outages/model';
import type { OutageCommand } from '../outages/commands';
import { OUTAGE_ID, type OutageService } from '../outages/service';
import { localInstant, monthOf, parseMonth } from '../outages/time';
import type { ExclusionCategory, Policy } from '../policy/schema';
import { availabilityReport } from '../reports/availability';
import { customerReport, REPORT_LOOKBACK_MS } from '../reports/customer';
import { availabilityCsv, availabilityHtml, customerCsv, customerHtml } from '../reports/render';
import { monthBounds, parseInstant, type Instant, type SlaEngine } from '../sla';
import type { DomainError } from '../tickets/errors';
import type { Actor } from '../tickets/model';
import type { TicketService } from '../tickets/service';

export type ApiRole = 'customer' | 'engineer' | 'manager';

/** The authenticated caller (the tab API's Principal has this shape). */
export interface ApiPrincipal {
  readonly tenantId: string;
  readonly userId: string;
  readonly name: string;
  readonly role: ApiRole;
  readonly customerName?: string | undefined;
}

export interface ApiCall {
  readonly principal: ApiPrincipal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface ApiAnswer {
  readonly status: number;
  /** JSON, or the text of a download. */
  readonly body: unknown;
  /** Set for downloads: `text/csv; charset=utf-8` or `text/html; charset=utf-8`. */
  readonly contentType?: string | undefined;
  /** Set for CSV downloads: the file name offered. */
  readonly filename?: string | undefined;
}

export type ApiHandler = (call: ApiCall) => Promise<ApiAnswer>;

export interface OutageApiDeps {
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly outages: OutageService;
  readonly tickets: TicketService;
  /** Customer tenants by id, with their account names. */
  readonly customers: ReadonlyMap<string, string>;
  readonly audit: AuditLog;
  readonly now: () => Instant;
  /** Told after every change (the bot updates the outage's cards in Teams). */
}

export const STAFF_ROLES: readonly ApiRole[] = ['engineer', 'manager'];
export const ALL_ROLES: readonly ApiRole[] = ['customer', 'engineer', 'manager'];

/** A route for the API's router: method, path, who may call it, and the handler. */
export interface RouteSpec {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly roles: readonly ApiRole[];
  readonly handler: ApiHandler;
}

const json = (status: number, body: unknown): ApiAnswer => ({ status, body });
const problem = (status: number, code: string, message: string, field?: string): ApiAnswer =>
  json(status, { error: { code, message, ...(field === undefined ? {} : { field }) } });
const notFound = (): ApiAnswer => problem(404, 'NOT_FOUND', 'Not found.');

function fromDomain(e: DomainError): ApiAnswer {
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

/** The outage as the tab shows it: customers never see causes, justifications or who did what. */
export function outageJson(o: Outage, staff: boolean): Record<string, unknown> {
  const base = {
    id: o.id,
    start: o.start,
    end: o.end,
    ongoing: o.end === null,
    affected: o.affected,
  };
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

/**
 * Outages as the tab's availability view reads them (its OutageSource port): only what that view shows, so
 * justifications, notes and who decided never reach a customer through it.
 */
export function outageSource(outages: {
  overlapping(from: Instant, to: Instant): Promise<readonly Outage[]>;
}): OutageSourceLike {
  return {
    overlapping: async (from, to) =>
      (await outages.overlapping(from, to)).map((o) => ({
        id: o.id,
        start: o.start,
        end: o.end,
        affected: o.affected,
        cause: o.cause,
        exclusion:
          o.exclusion === null ? null : { category: o.exclusion.category, status: o.exclusion.status },
      })),
  };
}

/** The shape of the tab API's OutageSource port (src/api/ports.ts). */
export interface OutageSourceLike {
  overlapping(
    from: Instant,
    to: Instant,
  ): Promise<
    readonly {
      readonly id: string;
      readonly start: Instant;
      readonly end: Instant | null;
      readonly affected: string;
      readonly cause: string;
      readonly exclusion: {
        readonly category: ExclusionCategory;
        readonly status: 'requested' | 'approved' | 'rejected';
      } | null;
    }[]
  >;
}

function monthParam(deps: OutageApiDeps, q: Readonly<Record<string, string>>): string | ApiAnswer {
  const raw = q['month'];
  if (raw === undefined || raw === '') return monthOf(deps.now(), deps.policy.timeZone);
  return parseMonth(raw) ?? problem(400, 'INVALID_INPUT', 'month must look like 2026-11.', 'month');
}

type Format = 'json' | 'csv' | 'html';
function formatParam(q: Readonly<Record<string, string>>): Format | ApiAnswer {
  const f = q['format'] ?? 'json';
  return f === 'json' || f === 'csv' || f === 'html'
    ? f
    : problem(400, 'INVALID_INPUT', 'format must be json, csv or html.', 'format');
}

const isAnswer = (x: unknown): x is ApiAnswer => typeof x === 'object' && x !== null && 'status' in x;

const text = (max: number) => z.string().max(max * 4);
const instant = z.string().max(40);
const recordSchema = z
  .object({
    start: instant,
    end: instant.nullable().optional(),
    affected: text(500),
    cause: text(2000).optional(),
    exclusion: z
      .object({ category: z.string().max(10), justification: text(1000) })
      .nullable()
      .optional(),
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/)
      .optional(),
  })
  .strict();
const changeSchema = z.discriminatedUnion('action', [
  z
    .object({ action: z.literal('end'), at: instant.optional(), version: z.number().int().optional() })
    .strict(),
  z
    .object({
      action: z.literal('edit'),
      start: instant.optional(),
      end: instant.nullable().optional(),
      affected: text(500).optional(),
      cause: text(2000).optional(),
      version: z.number().int().optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('request-exclusion'),
      category: z.string().max(10),
      justification: text(1000),
      version: z.number().int().optional(),
    })
    .strict(),
  z.object({ action: z.literal('withdraw-exclusion'), version: z.number().int().optional() }).strict(),
  z
    .object({
      action: z.literal('approve-exclusion'),
      note: text(500).optional(),
      version: z.number().int().optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('reject-exclusion'),
      note: text(500).optional(),
      version: z.number().int().optional(),
    })
    .strict(),
]);

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

/**
 * Parses an ISO time with offset, or a wall time "2026-11-25T12:00" in the policy's zone (what a
 * datetime-local input gives); an answer saying what is wrong otherwise.
 */
function timeOf(value: string, field: string, zone: string): Instant | ApiAnswer {
  const local = LOCAL.exec(value);
  if (local !== null) {
    const t = localInstant(local[1] ?? '', local[2] ?? '', zone, field);
    return t.ok ? t.value : problem(400, 'INVALID_INPUT', t.error.message, field);
  }
  try {
    return parseInstant(value, field);
  } catch (e) {
    return problem(400, 'INVALID_INPUT', e instanceof Error ? e.message : `${field} is not valid.`, field);
  }
}

function firstIssue(err: z.ZodError): ApiAnswer {
  const issue = err.issues[0];
  const field = issue?.path.join('.') ?? '';
  return problem(
    400,
    'INVALID_INPUT',
    `${field === '' ? 'The request' : field}: ${issue?.message ?? 'is not valid'}.`,
    field,
  );
}

const actorOf = (p: ApiPrincipal): Actor => ({ id: p.userId, name: p.name, role: p.role });

async function refusedByRole(
  deps: OutageApiDeps,
  p: ApiPrincipal,
  action: string,
  reason: string,
  target?: string,
): Promise<void> {
  await deps.audit.record({
    at: deps.now(),
    action: `api.${action}`,
    outcome: 'refused',
    reason,
    tenantId: p.tenantId,
    userId: p.userId,
    target,
  });
}

/** The routes, for the API's router (`api.route(r.method, r.path, r.roles, r.handler)`). */
export function outageRoutes(deps: OutageApiDeps): RouteSpec[] {
  const staffOnly = (p: ApiPrincipal): boolean => p.role !== 'customer';

  const status: ApiHandler = async ({ principal }) => {
    const now = deps.now();
    const month = await deps.outages.month(monthOf(now, deps.policy.timeZone), now);
    const staff = staffOnly(principal);
    const ongoing = month.outages.filter((o) => o.end === null);
    return json(200, {
      service: deps.policy.availability.service,
      up: ongoing.length === 0,
      ongoing: ongoing.map((o) => outageJson(o, staff)),
      month: month.availability,
      timeZone: deps.policy.timeZone,
      at: now,
    });
  };

  const list: ApiHandler = async ({ query }) => {
    const month = monthParam(deps, query);
    if (isAnswer(month)) return month;
    const now = deps.now();
    const m = await deps.outages.month(month, now);
    return json(200, {
      month,
      availability: m.availability,
      outages: m.outages.map((o) => outageJson(o, true)),
    });
  };

  const one: ApiHandler = async ({ params }) => {
    const got = await deps.outages.history(params['id'] ?? '');
    if (!got.ok) return fromDomain(got.error);
    return json(200, {
      outage: outageJson(got.value.outage, true),
      history: got.value.changes satisfies OutageChange[],
    });
  };

  const record: ApiHandler = async ({ principal, body }) => {
    const parsed = recordSchema.safeParse(body);
    if (!parsed.success) return firstIssue(parsed.error);
    const b = parsed.data;
    const start = timeOf(b.start, 'start', deps.policy.timeZone);
    if (isAnswer(start)) return start;
    const end = b.end === undefined || b.end === null ? null : timeOf(b.end, 'end', deps.policy.timeZone);
    if (isAnswer(end)) return end;
    const made = await deps.outages.record(
      actorOf(principal),
      {
        start,
        end,
        affected: b.affected,
        cause: b.cause ?? '',
        ...(b.exclusion === undefined || b.exclusion === null ? {} : { exclusion: b.exclusion }),
      },
      { actionId: b.requestId === undefined ? undefined : `api:${b.requestId}` },
    );
    if (!made.ok) return fromDomain(made.error);
    return json(made.value.duplicate ? 200 : 201, { outage: outageJson(made.value.outage, true) });
  };

  const change: ApiHandler = async ({ principal, params, body }) => {
    const id = (params['id'] ?? '').toUpperCase();
    if (!OUTAGE_ID.test(id)) return notFound();
    const parsed = changeSchema.safeParse(body);
    if (!parsed.success) return firstIssue(parsed.error);
    const b = parsed.data;
    let cmd: OutageCommand;
    switch (b.action) {
      case 'end': {
        const at = b.at === undefined ? deps.now() : timeOf(b.at, 'at', deps.policy.timeZone);
        if (isAnswer(at)) return at;
        cmd = { kind: 'end', at };
        break;
      }
      case 'edit': {
        const start = b.start === undefined ? undefined : timeOf(b.start, 'start', deps.policy.timeZone);
        if (isAnswer(start)) return start;
        const end =
          b.end === undefined || b.end === null ? b.end : timeOf(b.end, 'end', deps.policy.timeZone);
        if (isAnswer(end)) return end;
        cmd = { kind: 'edit', start, end, affected: b.affected, cause: b.cause };
        break;
      }
      case 'request-exclusion':
        cmd = { kind: 'request-exclusion', category: b.category, justification: b.justification };
        break;
      case 'withdraw-exclusion':
        cmd = { kind: 'withdraw-exclusion' };
        break;
      case 'approve-exclusion':
        cmd = { kind: 'approve-exclusion', note: b.note };
        break;
      case 'reject-exclusion':
        cmd = { kind: 'reject-exclusion', note: b.note };
        break;
    }
    const acted = await deps.outages.act(id, actorOf(principal), cmd, { expectedVersion: b.version });
    if (!acted.ok) {
      if (acted.error.code === 'NOT_ALLOWED')
        await refusedByRole(deps, principal, b.action, acted.error.message, id);
      return fromDomain(acted.error);
    }
    return json(200, { outage: outageJson(acted.value.outage, true) });
  };

  const availability: ApiHandler = async ({ principal, query }) => {
    const month = monthParam(deps, query);
    if (isAnswer(month)) return month;
    const format = formatParam(query);
    if (isAnswer(format)) return format;
    const now = deps.now();
    const m = await deps.outages.month(month, now);
    const report = availabilityReport(
      deps.policy,
      month,
      m.outages,
      now,
      staffOnly(principal) ? 'staff' : 'customer',
    );
    if (format === 'csv')
      return {
        status: 200,
        body: availabilityCsv(report),
        contentType: 'text/csv; charset=utf-8',
        filename: `availability-${month}.csv`,
      };
    if (format === 'html')
      return { status: 200, body: availabilityHtml(report), contentType: 'text/html; charset=utf-8' };
    return json(200, report);
  };

  const sla: ApiHandler = async ({ principal, query }) => {
    const month = monthParam(deps, query);
    if (isAnswer(month)) return month;
    const format = formatParam(query);
    if (isAnswer(format)) return format;
    let tenantId: string;
    if (principal.role === 'customer') {
      tenantId = principal.tenantId;
      // Another tenant's report is "not found", exactly like one that does not exist.
      const asked = (query['tenant'] ?? '').toLowerCase();
      if (asked !== '' && asked !== tenantId) {
        await refusedByRole(deps, principal, 'report.sla', "another tenant's report", asked);
        return notFound();
      }
    } else {
      const asked = (query['tenant'] ?? '').toLowerCase();
      if (asked === '')
        return problem(400, 'INVALID_INPUT', 'tenant is required: the customer tenant id.', 'tenant');
      tenantId = asked;
    }
    const customerName =
      deps.customers.get(tenantId) ?? (principal.role === 'customer' ? principal.customerName : undefined);
    if (customerName === undefined) return notFound();
    const now = deps.now();
    const { start, end } = monthBounds(month, deps.policy.timeZone);
    const [tickets, m] = await Promise.all([
      deps.tickets.createdBetween(start - REPORT_LOOKBACK_MS, Math.min(end, now + 1), tenantId),
      deps.outages.month(month, now),
    ]);
    const report = customerReport(
      deps.policy,
      deps.engine,
      month,
      tenantId,
      customerName,
      tickets,
      m.outages,
      now,
    );
    if (format === 'csv')
      return {
        status: 200,
        body: customerCsv(report),
        contentType: 'text/csv; charset=utf-8',
        filename: `sla-report-${customerName.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 60)}-${month}.csv`,
      };
    if (format === 'html')
      return { status: 200, body: customerHtml(report), contentType: 'text/html; charset=utf-8' };
    return json(200, report);
  };

  return [
    { method: 'get', path: '/api/status', roles: ALL_ROLES, handler: status },
    { method: 'get', path: '/api/outages', roles: STAFF_ROLES, handler: list },
    { method: 'get', path: '/api/outages/:id', roles: STAFF_ROLES, handler: one },
    { method: 'post', path: '/api/outages', roles: STAFF_ROLES, handler: record },
    { method: 'post', path: '/api/outages/:id', roles: STAFF_ROLES, handler: change },
    { method: 'get', path: '/api/reports/availability', roles: ALL_ROLES, handler: availability },
    { method: 'get', path: '/api/reports/sla', roles: ALL_ROLES, handler: sla },
  ];
}
