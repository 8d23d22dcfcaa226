// Outages and reports over real HTTP with Teams SSO tokens from the loopback token authority: an engineer
// records and is refused approval (audited), a manager approves, a customer downloads their own report as a
// CSV (read back) and cannot get another tenant's, customers see the status without causes.
import type { App } from '../../src/app';
import { CUSTOMER_CSV_HEADER } from '../../src/domain/reports/render';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { act, CONTOSO, ENGINEER, FABRIKAM, MANAGER, seed, ssoClaims, STAFF_TENANT } from '../support/tab';

let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-25 10:00') };

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  const p1 = await seed(app, clock, et('2026-11-25 10:00'), { priority: 'P1', title: '@SUM(1+1), "urgent"' });
  await act(app, clock, et('2026-11-25 10:20'), p1.id, { kind: 'reply', text: 'On it' });
  await seed(app, clock, et('2026-11-25 11:00'), {
    tenantId: FABRIKAM,
    customerName: 'Fabrikam',
    title: 'Fabrikam only',
  });
});
afterAll(() => stop());

const token = (tenant: string, oid: string) => entra.mintToken(ssoClaims(tenant, oid));
const engineer = () => token(STAFF_TENANT, ENGINEER);
const manager = () => token(STAFF_TENANT, MANAGER);
const contoso = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');

async function request(
  method: 'GET' | 'POST',
  path: string,
  bearer: string | undefined,
  body?: unknown,
): Promise<{
  status: number;
  type: string;
  disposition: string;
  text: string;
  json: Record<string, unknown>;
}> {
  const headers: Record<string, string> = {};
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a download
  }
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    text,
    json,
  };
}

describe('outages over HTTP', () => {
  it('without a token nothing is answered', async () => {
    expect((await request('GET', '/api/status', undefined)).status).toBe(401);
    expect((await request('POST', '/api/outages', undefined, { start: 'x' })).status).toBe(401);
  });

  it('an engineer records an outage with an exclusion to approve; a customer may not', async () => {
    clock.now = et('2026-11-25 12:10');
    const body = {
      start: '2026-11-25T12:00:00-05:00',
      end: '2026-11-25T12:06:00-05:00',
      affected: 'Calling',
      cause: 'Carrier trunk down',
      exclusion: { category: 'c', justification: 'Carrier fibre cut, ticket 991' },
    };
    expect((await request('POST', '/api/outages', contoso(), body)).status).toBe(403);
    expect((await request('POST', '/api/outages', engineer(), '{"start": ')).status).toBe(400);
    const made = await request('POST', '/api/outages', engineer(), body);
    expect(made.status).toBe(201);
    expect(made.json['outage']).toMatchObject({ id: 'OUT-1', countsAs: 'down', version: 1 });
  });

  it('an engineer approving is refused and audited; a manager approves', async () => {
    const refused = await request('POST', '/api/outages/OUT-1', engineer(), {
      action: 'approve-exclusion',
      version: 1,
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      error: { code: 'NOT_ALLOWED', message: 'Only a manager can approve an exclusion.' },
    });
    const audit = await app.deps.audit.day('2026-11-25');
    expect(audit.map((e) => [e.action, e.userId, e.target])).toContainEqual([
      'api.approve-exclusion',
      ENGINEER,
      'OUT-1',
    ]);
    const approved = await request('POST', '/api/outages/OUT-1', manager(), {
      action: 'approve-exclusion',
      version: 1,
    });
    expect(approved.status).toBe(200);
    expect(approved.json['outage']).toMatchObject({
      countsAs: 'excluded',
      exclusion: { status: 'approved', decidedBy: { name: 'Maria Manager' } },
    });
    const month = await request('GET', '/api/outages?month=2026-11', engineer());
    expect(month.json['availability']).toMatchObject({ outageMinutes: 0, excludedMinutes: 6, met: true });
  });

  it('the tab’s availability view counts the recorded outages', async () => {
    clock.now = et('2026-11-25 12:30');
    await request('POST', '/api/outages', engineer(), {
      start: '2026-11-25T12:20:00-05:00',
      end: '2026-11-25T12:23:00-05:00',
      affected: 'Voicemail',
      cause: 'Disk full on vm-3',
    });
    const status = await request('GET', '/api/status', contoso());
    expect(status.json).toMatchObject({
      up: true,
      month: { outageMinutes: 3, excludedMinutes: 6, met: true },
    });
    expect(status.text).not.toContain('Disk full');
    const view = await request('GET', '/api/availability?month=2026-11', contoso());
    expect(view.json['current']).toMatchObject({ outageMinutes: 3, excludedMinutes: 6 });
    expect(view.json['outages']).toEqual([
      expect.objectContaining({ id: 'OUT-1', exclusion: { category: 'c', status: 'approved' } }),
      expect.objectContaining({ id: 'OUT-2', affected: 'Voicemail', exclusion: null }),
    ]);
    expect(view.text).not.toContain('Disk full');
    expect(view.text).not.toContain('fibre cut');
  });

  it('a customer downloads their own SLA report as CSV and prints it; another tenant’s is not found', async () => {
    clock.now = et('2026-12-02 09:00');
    const csv = await request('GET', '/api/reports/sla?month=2026-11&format=csv', contoso());
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.disposition).toBe('attachment; filename="sla-report-Contoso-2026-11.csv"');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(CUSTOMER_CSV_HEADER.join(','));
    expect(lines.filter((l) => l.startsWith('breach,'))).toEqual([
      expect.stringMatching(
        /^breach,"breached, not yet met",P1,workaround,TM-\d+,"'@SUM\(1\+1\), ""urgent""",2026-11-27T10:00:00.000-05:00,,\d+,minutes late$/,
      ),
    ]);
    expect(lines).toContain('availability,down minutes,,,,,,,3,minutes');
    expect(lines).toContain(
      'availability,excluded (c) Third party or local access provider; service not released for repair,,,,,,,6,minutes',
    );
    expect(csv.text).not.toContain('Fabrikam only');
    const page = await request('GET', '/api/reports/sla?month=2026-11&format=html', contoso());
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1>SLA report: Contoso, 2026-11</h1>');
    const other = await request('GET', `/api/reports/sla?month=2026-11&tenant=${FABRIKAM}`, contoso());
    expect(other.status).toBe(404);
    const staff = await request('GET', `/api/reports/sla?month=2026-11&tenant=${CONTOSO}`, manager());
    expect(staff.json).toMatchObject({ customerName: 'Contoso', filed: 1 });
  });
});
