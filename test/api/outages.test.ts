// The tab API's outage, status and report handlers, called as the API router calls them (an authenticated
// caller, params, query, body) on the real app and Azurite: record and approve as staff, refused roles and
// tenants, the customer's own report as JSON, CSV (read back) and a printable page.
import type { App } from '../../src/app';
import type { Principal as ApiPrincipal } from '../../src/adapters/api/auth';
import type { ApiResponse as ApiAnswer, RouteSpec } from '../../src/adapters/api/route';
import { CUSTOMER_CSV_HEADER } from '../../src/domain/reports/render';
import { aFiling, alice as aliceActor, CONTOSO, FABRIKAM } from '../fixtures/filing';
import { et } from '../fixtures';
import { startWithConnector } from '../support/authed';
import type { TestClock } from '../support/app';

const VENDOR = '0e0e0e0e-0000-4000-8000-00000000000a';
const alice: ApiPrincipal = {
  tenantId: VENDOR,
  userId: 'aad-alice',
  name: 'Alice Engineer',
  role: 'engineer',
};
const meg: ApiPrincipal = { tenantId: VENDOR, userId: 'aad-meg', name: 'Meg Manager', role: 'manager' };
const ann: ApiPrincipal = {
  tenantId: CONTOSO,
  userId: 'aad-ann',
  name: 'Ann',
  role: 'customer',
  customerName: 'Contoso',
};
const fay: ApiPrincipal = {
  tenantId: FABRIKAM,
  userId: 'aad-fay',
  name: 'Fay',
  role: 'customer',
  customerName: 'Fabrikam',
};

let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-25 10:00') };

beforeAll(async () => {
  ({ app, stop } = await startWithConnector({
    clock,
    env: {
      CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam`,
      STAFF_TENANT_ID: VENDOR,
      STAFF_ENGINEERS: 'aad-alice=Alice Engineer',
      STAFF_MANAGERS: 'aad-meg=Meg Manager',
    },
  }));
});
afterAll(() => stop());

/** Calls a route as the router would, after checking the caller's role like it does. */
async function call(
  method: 'get' | 'post',
  path: string,
  principal: ApiPrincipal,
  {
    params = {},
    query = {},
    body,
  }: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
): Promise<ApiAnswer> {
  const route = app.outageRoutes.find((r: RouteSpec) => r.method === method && r.path === path);
  if (route === undefined) throw new Error(`no route ${method} ${path}`);
  if (!route.roles.includes(principal.role)) return { status: 403, body: { error: { code: 'FORBIDDEN' } } };
  return route.handler({ principal, params, query, body });
}

function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the outage API', () => {
  it('an engineer records an outage; bad input is a 400 naming the field and records nothing', async () => {
    clock.now = et('2026-11-25 12:10');
    const bad: [unknown, string][] = [
      [{ start: '25/11/2026 12:00', affected: 'Calling' }, 'start'],
      [{ start: '2026-03-08T02:30', affected: 'Calling' }, 'start'],
      [{ start: '2026-11-25T12:00:00', affected: 'Calling' }, 'start'],
      [{ start: '2026-11-25T12:00:00-05:00', end: '2026-11-25T11:00:00-05:00', affected: 'Calling' }, 'end'],
      [{ start: '2026-11-25T12:00:00-05:00', affected: 'x'.repeat(501) }, 'affected'],
      [
        {
          start: '2026-11-25T12:00:00-05:00',
          affected: 'Calling',
          exclusion: { category: 'q', justification: 'x' },
        },
        'category',
      ],
      [{ start: '2026-11-25T12:00:00-05:00', affected: 'Calling', admin: true }, ''],
      ['not an object', ''],
    ];
    for (const [body, field] of bad) {
      const res = await call('post', '/api/outages', alice, { body });
      expect(res.status).toBe(400);
      expect((res.body as { error: { code: string; field?: string } }).error).toMatchObject({
        code: 'INVALID_INPUT',
        ...(field === '' ? {} : { field }),
      });
    }
    const res = await call('post', '/api/outages', alice, {
      body: {
        start: '2026-11-25T12:00:00-05:00',
        end: '2026-11-25T12:05:00-05:00',
        affected: 'Calling',
        cause: 'Carrier trunk down',
        exclusion: { category: 'c', justification: 'Carrier fibre cut' },
        requestId: 'tab-1',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      outage: { id: 'OUT-1', exclusion: { category: 'c', status: 'requested' }, countsAs: 'down' },
    });
    const again = await call('post', '/api/outages', alice, {
      body: { start: '2026-11-25T12:00:00-05:00', affected: 'Calling', requestId: 'tab-1' },
    });
    expect(again).toMatchObject({ status: 200, body: { outage: { id: 'OUT-1' } } });
  });

  it('a customer cannot record or list outages, nor change them', async () => {
    expect((await call('post', '/api/outages', ann, { body: {} })).status).toBe(403);
    expect((await call('get', '/api/outages', ann)).status).toBe(403);
    expect(
      (
        await call('post', '/api/outages/:id', ann, {
          params: { id: 'OUT-1' },
          body: { action: 'approve-exclusion' },
        })
      ).status,
    ).toBe(403);
  });

  it('an engineer approving is refused (403, audited); a manager approves what they saw', async () => {
    const refused = await call('post', '/api/outages/:id', alice, {
      params: { id: 'OUT-1' },
      body: { action: 'approve-exclusion', version: 1 },
    });
    expect(refused.status).toBe(403);
    const audit = await app.deps.audit.day('2026-11-25');
    expect(audit.map((e) => [e.action, e.userId, e.target])).toContainEqual([
      'api.approve-exclusion',
      'aad-alice',
      'OUT-1',
    ]);
    const stale = await call('post', '/api/outages/:id', meg, {
      params: { id: 'OUT-1' },
      body: { action: 'approve-exclusion', version: 0 },
    });
    expect(stale.status).toBe(409);
    const approved = await call('post', '/api/outages/:id', meg, {
      params: { id: 'OUT-1' },
      body: { action: 'approve-exclusion', version: 1, note: 'Carrier ticket 991' },
    });
    expect(approved).toMatchObject({
      status: 200,
      body: {
        outage: {
          exclusion: { status: 'approved', decidedBy: { name: 'Meg Manager' } },
          countsAs: 'excluded',
        },
      },
    });
    const list = await call('get', '/api/outages', meg, { query: { month: '2026-11' } });
    expect(list.body).toMatchObject({ availability: { outageMinutes: 0, excludedByCategory: { c: 5 } } });
    const one = await call('get', '/api/outages/:id', alice, { params: { id: 'OUT-1' } });
    expect((one.body as { history: { type: string }[] }).history.map((h) => h.type)).toEqual([
      'recorded',
      'exclusion-requested',
      'exclusion-approved',
    ]);
    expect((await call('get', '/api/outages/:id', alice, { params: { id: 'OUT-77' } })).status).toBe(404);
    expect(
      (await call('post', '/api/outages/:id', meg, { params: { id: 'OUT-1' }, body: { action: 'explode' } }))
        .status,
    ).toBe(400);
  });

  it('status: customers see the ongoing outage without its cause; staff see it all', async () => {
    clock.now = et('2026-11-25 13:00');
    const r = await call('post', '/api/outages', alice, {
      body: { start: '2026-11-25T12:58:00-05:00', affected: 'Voicemail', cause: 'Disk full on vm-3' },
    });
    expect(r.status).toBe(201);
    const forAnn = await call('get', '/api/status', ann);
    expect(forAnn.body).toMatchObject({
      up: false,
      ongoing: [{ id: 'OUT-2', affected: 'Voicemail', ongoing: true }],
      month: { outageMinutes: 2 },
    });
    expect(JSON.stringify(forAnn.body)).not.toContain('Disk full');
    const forMeg = await call('get', '/api/status', meg);
    expect(JSON.stringify(forMeg.body)).toContain('Disk full');
    clock.now = et('2026-11-25 13:05');
    expect(
      (
        await call('post', '/api/outages/:id', alice, {
          params: { id: 'OUT-2' },
          body: { action: 'end', at: '2026-11-25T13:01:00-05:00' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('reports', () => {
  beforeAll(async () => {
    // Contoso: a P1 filed Wed 25 Nov 10:00, replied 10:30 (met), no work-around by Fri 27 10:00 (breached).
    clock.now = et('2026-11-25 10:00');
    const filed = await app.tickets.file(aFiling({ priority: 'P1', title: '=cmd|" /C calc"!A0, "quoted"' }));
    if (!filed.ok) throw filed.error;
    clock.now = et('2026-11-25 10:30');
    const replied = await app.tickets.act({ kind: 'staff' }, filed.value.ticket.id, aliceActor, {
      kind: 'reply',
      text: 'On it',
    });
    if (!replied.ok) throw replied.error;
    const other = await app.tickets.file(
      aFiling({ tenantId: FABRIKAM, customerName: 'Fabrikam', title: 'Fabrikam secret' }),
    );
    if (!other.ok) throw other.error;
    clock.now = et('2026-12-02 09:00');
  });

  it('the customer reads their own report as JSON; another tenant’s is not found and audited', async () => {
    const r = await call('get', '/api/reports/sla', ann, { query: { month: '2026-11' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      customerName: 'Contoso',
      filed: 1,
      breaches: [{ priority: 'P1', target: 'workaround', metAt: null }],
      availability: { figures: { outageMinutes: 3, excludedMinutes: 5, met: true } },
    });
    expect(JSON.stringify(r.body)).not.toContain('Fabrikam secret');
    expect(JSON.stringify(r.body)).not.toContain('Disk full');
    const theirs = await call('get', '/api/reports/sla', ann, {
      query: { month: '2026-11', tenant: FABRIKAM },
    });
    expect(theirs.status).toBe(404);
    const audit = await app.deps.audit.day('2026-12-02');
    expect(audit.map((e) => [e.action, e.target])).toContainEqual(['api.report.sla', FABRIKAM]);
    const fabrikam = await call('get', '/api/reports/sla', fay, { query: { month: '2026-11' } });
    expect(JSON.stringify(fabrikam.body)).toContain('Fabrikam secret');
    expect(JSON.stringify(fabrikam.body)).not.toContain('quoted');
  });

  it('the CSV download opens as expected: header, one row per figure or ticket, escaped and formula-safe', async () => {
    const r = await call('get', '/api/reports/sla', ann, { query: { month: '2026-11', format: 'csv' } });
    expect(r).toMatchObject({
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      filename: 'sla-report-Contoso-2026-11.csv',
    });
    const rows = parseCsv(String(r.body));
    expect(rows[0]).toEqual([...CUSTOMER_CSV_HEADER]);
    for (const row of rows) expect(row).toHaveLength(CUSTOMER_CSV_HEADER.length);
    const breach = rows.filter((x) => x[0] === 'breach');
    expect(breach).toHaveLength(1);
    expect(breach[0]?.slice(2, 7)).toEqual([
      'P1',
      'workaround',
      expect.stringMatching(/^TM-\d+$/),
      `'=cmd|" /C calc"!A0, "quoted"`,
      '2026-11-27T10:00:00.000-05:00',
    ]);
    expect(rows.find((x) => x[0] === 'availability' && x[1] === 'down minutes')?.[8]).toBe('3');
  });

  it('the printable page and the availability report in each format', async () => {
    const page = await call('get', '/api/reports/sla', ann, { query: { month: '2026-11', format: 'html' } });
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(String(page.body)).toContain('<h1>SLA report: Contoso, 2026-11</h1>');
    expect(String(page.body)).toContain('=cmd|&quot; /C calc&quot;!A0');
    const avail = await call('get', '/api/reports/availability', ann, {
      query: { month: '2026-11', format: 'csv' },
    });
    expect(parseCsv(String(avail.body)).find((x) => x[0] === 'availability' && x[1] === 'result')?.[6]).toBe(
      'met',
    );
    expect(
      (await call('get', '/api/reports/availability', ann, { query: { month: '2026-13' } })).status,
    ).toBe(400);
    expect((await call('get', '/api/reports/availability', ann, { query: { format: 'pdf' } })).status).toBe(
      400,
    );
  });

  it('staff pick the customer; without one it is a 400, an unknown one a 404', async () => {
    expect((await call('get', '/api/reports/sla', meg, { query: { month: '2026-11' } })).status).toBe(400);
    expect(
      (
        await call('get', '/api/reports/sla', meg, {
          query: { month: '2026-11', tenant: '99999999-9999-4999-8999-999999999999' },
        })
      ).status,
    ).toBe(404);
    const r = await call('get', '/api/reports/sla', meg, { query: { month: '2026-11', tenant: CONTOSO } });
    expect(r.body).toMatchObject({ customerName: 'Contoso', filed: 1 });
  });
});
