// The tab API: JSON routes under /api/ for everything the tab shows. Handlers are thin: validate the
// query, ask the ticket service, the counters or the SLA engine, shape the answer. Token and role checks
// live in router.ts; add routes with `api.route(method, path, roles, handler)`.
import { DateTime } from 'luxon';
import type restify from 'restify';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { AuditLog } from '../storage/audit';
import type { Policy } from '../policy/schema';
import { onCallAt } from '../oncall/roster';
import { monthAvailability, monthBounds, parseInstant, type Instant, type SlaEngine } from '../sla';
import { monthMinus, monthOf } from '../stats/figures';
import type { StatsService } from '../stats/service';
import { isPriority } from '../tickets/fields';
import { normaliseId, type Scope, type TicketService } from '../tickets/service';
import { keysFor, TokenChecker, type Principal, type StaffRole } from './auth';
import { LOCAL_AUDIENCE, LocalIssuer, personasOf } from './local-sign-in';
import type { OutageSource, OverrideSource } from './ports';
import { ANYONE, ApiRouter, badRequest, notFound, ok, STAFF, type ApiResponse } from './router';
import { ticketDetail, ticketRow, type TicketRow } from './views';

export interface ApiDeps {
  readonly config: Config;
  /** Who is staff (the app's staff directory). */
  readonly staffRole: StaffRole;
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly stats: StatsService;
  readonly outages: OutageSource;
  readonly overrides: OverrideSource;
  readonly log: Logger;
  /** The domain clock (simulated in tests). */
  readonly now: () => Instant;
  /** Real time, for token expiry. */
  readonly wallClock?: () => number;
  /** Where refused look-ups of another tenant's (or no) ticket are recorded. */
  readonly audit?: AuditLog | undefined;
}

/** The app's API: its router (to add routes) and, in local mode, its own token issuer. */
export interface Api {
  readonly router: ApiRouter;
  readonly localIssuer: LocalIssuer | undefined;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUEUE_MAX = 200;
/** Rows scanned at most for one filtered queue page. */
const SCAN_MAX = 2000;
const STATES = new Set(['on-track', 'at-risk', 'breached', 'paused', 'met', 'closed']);

function scopeOf(p: Principal): Scope {
  return p.role === 'customer' ? { kind: 'tenant', tenantId: p.tenantId } : { kind: 'staff' };
}

function listParam(v: string | undefined): string[] {
  return v === undefined || v.trim() === ''
    ? []
    : v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
}

interface QueueFilter {
  readonly priorities: ReadonlySet<string>;
  readonly states: ReadonlySet<string>;
  readonly customers: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
  readonly text: string;
}

function filterOf(q: Readonly<Record<string, string>>, p: Principal): QueueFilter | ApiResponse {
  const priorities = listParam(q['priority']);
  if (!priorities.every(isPriority))
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
  if (/^[A-Z]{1,8}-\d{1,10}$/.test(t)) return t;
  if (/^\d{1,10}$/.test(t)) return `${prefix}-${t}`;
  return undefined;
}

/** Registers the tab API's routes. Public: /api/auth/config and, in local mode, the local issuer's two routes. */
export async function registerApi(server: restify.Server, deps: ApiDeps): Promise<Api> {
  const { config, engine, policy } = deps;
  const localIssuer = config.tabAuth.mode === 'local' ? await LocalIssuer.create() : undefined;
  const checker = new TokenChecker({
    config,
    staffRole: deps.staffRole,
    keys: keysFor(config, localIssuer?.publicJwk),
    audiences: config.tabAuth.mode === 'entra' ? config.tabAuth.audiences : [LOCAL_AUDIENCE],
    ...(deps.wallClock === undefined ? {} : { wallClock: deps.wallClock }),
  });
  const api = new ApiRouter(server, checker, deps.log);
  const zone = policy.timeZone;

  /**
   * A customer asked for a ticket their tenant does not have: recorded (with whether it was another tenant's,
   * which only staff read); the answer stays the same as for a missing id.
   */
  const refusedLookup = async (principal: Principal, action: string, id: string): Promise<void> => {
    if (principal.role !== 'customer' || deps.audit === undefined) return;
    try {
      const elsewhere = await deps.tickets.get({ kind: 'staff' }, id);
      await deps.audit.record({
        at: deps.now(),
        action,
        outcome: 'refused',
        reason: elsewhere.ok ? "another tenant's ticket" : 'no such ticket',
        tenantId: principal.tenantId,
        userId: principal.userId,
        target: id,
      });
    } catch (err) {
      deps.log.warn('could not record a refused look-up', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };

  server.get('/api/auth/config', (_req, res, next) => {
    res.header('cache-control', 'no-store');
    res.json(200, {
      mode: config.tabAuth.mode,
      ...(config.tabAuth.mode === 'entra' ? { clientId: config.tabAuth.clientId } : {}),
      personas:
        localIssuer === undefined
          ? []
          : personasOf(config).map((p) => ({
              id: p.id,
              role: p.role,
              name: p.name,
              customerName: p.customerName ?? null,
            })),
      timeZone: zone,
      timeZoneLabel: policy.timeZoneLabel,
    });
    next();
  });
  if (localIssuer !== undefined) {
    server.get('/api/auth/local/keys', (_req, res, next) => {
      res.json(200, { keys: [localIssuer.publicJwk] });
      next();
    });
    server.post('/api/auth/local/token', async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const persona = personasOf(config).find((p) => p.id === query['persona']);
      if (persona === undefined) {
        res.send(400, { error: { code: 'INVALID_INPUT', message: 'Unknown persona.' } });
        return;
      }
      const { token, expiresIn } = await localIssuer.mint(persona, (deps.wallClock ?? Date.now)());
      res.header('cache-control', 'no-store');
      res.send(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
    });
  }

  api.route('get', '/api/me', ANYONE, ({ principal }) =>
    ok({
      ...principal,
      timeZone: zone,
      timeZoneLabel: policy.timeZoneLabel,
      now: deps.now(),
      supportOpen: engine.calendar.inSupportHours(deps.now()),
      ...(principal.role === 'customer'
        ? {}
        : {
            customers: [...config.customers].map(([id, name]) => ({ id, name })),
            staff: [...new Map([...config.staff.engineers, ...config.staff.managers])].map(([id, name]) => ({
              id,
              name,
            })),
          }),
    }),
  );

  api.route('get', '/api/queue', ANYONE, async ({ principal, query }) => {
    const now = deps.now();
    const f = filterOf(query, principal);
    if ('status' in f) return f;
    const limit = Math.min(QUEUE_MAX, Math.max(1, Number(query['limit'] ?? 50) || 50));
    const byId = idSearch(f.text, config.ticketPrefix);
    if (byId !== undefined) {
      const got = await deps.tickets.get(scopeOf(principal), byId);
      if (!got.ok && got.error.code === 'TICKET_NOT_FOUND') await refusedLookup(principal, 'api.queue', byId);
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
    let cursor = query['next'] === undefined || query['next'] === '' ? undefined : query['next'];
    if (cursor !== undefined && !/^[A-Za-z0-9_-]{1,400}$/.test(cursor))
      return badRequest('next is not a valid cursor.', 'next');
    if (!filtered(f)) {
      const page = await deps.tickets.queue(limit, cursor);
      return ok({ now, rows: page.items.map((t) => ticketRow(engine, t, now)), next: page.next ?? null });
    }
    const rows: TicketRow[] = [];
    let scanned = 0;
    for (;;) {
      const page = await deps.tickets.queue(200, cursor);
      scanned += page.items.length;
      for (const t of page.items) {
        const r = ticketRow(engine, t, now);
        if (matches(r, f)) rows.push(r);
      }
      cursor = page.next;
      if (cursor === undefined || rows.length >= limit || scanned >= SCAN_MAX) break;
    }
    return ok({ now, rows, next: cursor ?? null });
  });

  api.route('get', '/api/tickets/:id', ANYONE, async ({ principal, params }) => {
    const id = normaliseId(params['id'] ?? '');
    if (!/^[A-Z]{1,8}-\d{1,10}$/.test(id)) return notFound();
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
  });

  api.route('get', '/api/dashboard', STAFF, async ({ query }) => {
    const month = query['month'];
    if (month !== undefined && !MONTH.test(month))
      return badRequest('month must look like 2026-11.', 'month');
    const now = deps.now();
    return ok(await deps.stats.dashboard(now, month));
  });

  api.route('get', '/api/availability', ANYONE, async ({ principal, query }) => {
    const now = deps.now();
    const month = query['month'] ?? monthOf(now, zone);
    if (!MONTH.test(month)) return badRequest('month must look like 2026-11.', 'month');
    const names = Array.from({ length: 12 }, (_, i) => monthMinus(month, 11 - i));
    const first = monthBounds(names[0] ?? month, zone).start;
    const { start, end } = monthBounds(month, zone);
    const outages = await deps.outages.overlapping(first, end);
    const spans = outages.map((o) => ({
      start: o.start,
      end: o.end,
      exclusion: o.exclusion?.status === 'approved' ? o.exclusion.category : null,
    }));
    const staff = principal.role !== 'customer';
    return ok({
      now,
      month,
      target: policy.availability.target,
      exclusions: policy.availability.exclusions,
      current: monthAvailability(policy, month, spans, now),
      history: names.map((m) => monthAvailability(policy, m, spans, now)),
      outages: outages
        .filter((o) => o.start < end && (o.end ?? now) > start)
        .map((o) => ({
          id: o.id,
          start: o.start,
          end: o.end,
          affected: o.affected,
          ...(staff ? { cause: o.cause } : {}),
          exclusion: o.exclusion,
        })),
    });
  });

  api.route('get', '/api/whatif', STAFF, ({ query }) => {
    const priority = query['priority'];
    if (!isPriority(priority)) return badRequest('priority must be P1, P2 or P3.', 'priority');
    let at: Instant;
    try {
      at = parseInstant(query['at'] ?? '', 'at');
    } catch (err) {
      return badRequest(err instanceof Error ? err.message : 'at is not a valid time.', 'at');
    }
    const result = engine.evaluate({ dispatched: at, priority });
    const target = (name: 'response' | 'workaround') => {
      const r = result[name];
      return {
        target: name,
        due: r.due,
        clock: r.basis.clock,
        budgetMinutes: r.basis.budgetMinutes,
        warnings: engine.notices(result, name).map((n) => ({
          percent: n.percent,
          firesAt: n.firesAt,
          deliverAt: n.deliverAt,
        })),
      };
    };
    return ok({
      priority,
      at,
      window: result.window,
      supportOpen: engine.calendar.inSupportHours(at),
      response: target('response'),
      workaround: target('workaround'),
    });
  });

  api.route('get', '/api/oncall', STAFF, async () => {
    const now = deps.now();
    const rotation = config.rotation;
    const names = new Map([...config.staff.engineers, ...config.staff.managers]);
    const person = (id: string) => ({ id, name: names.get(id) ?? id });
    if (rotation === undefined) return ok({ now, configured: false, weeks: [], overrides: [] });
    const [hour, minute] = rotation.handover.split(':').map(Number);
    const first = DateTime.fromISO(rotation.start, { zone }).set({ hour: hour ?? 9, minute: minute ?? 0 });
    const index = Math.floor(DateTime.fromMillis(now, { zone }).diff(first, 'weeks').weeks);
    const weeks = [0, 1, 2, 3].map((k) => {
      const start = first.plus({ weeks: index + k }).toMillis();
      const pair = onCallAt(rotation, start, zone);
      return {
        start,
        end: first.plus({ weeks: index + k + 1 }).toMillis(),
        primary: person(pair.primary),
        secondary: pair.secondary === undefined ? null : person(pair.secondary),
      };
    });
    const from = weeks[0]?.start ?? now;
    const to = weeks[weeks.length - 1]?.end ?? now;
    const overrides = await deps.overrides.overlapping(from, to);
    return ok({
      now,
      configured: true,
      handover: rotation.handover,
      weeks,
      overrides: overrides.map((o) => ({ ...o, person: person(o.userId) })),
    });
  });

  return { router: api, localIssuer };
}
