// The Team view's API over real HTTP (Teams SSO tokens from the loopback authority, Azurite, the test
// clock): workload per engineer, tickets filed and resolved per week, SLA met % per engineer and customer
// for November, and the per-ticket SLA export, each checked against values worked out here by hand.
import type { App } from '../../src/app';
import type { Actor } from '../../src/domain/tickets/model';
import { et, MINUTE } from '../fixtures';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { act, CONTOSO, ENGINEER, FABRIKAM, MANAGER, seed, ssoClaims, STAFF_TENANT } from '../support/tab';

let entra: FakeEntra;
let app: App;
let stop: () => Promise<void>;
const clock: TestClock = { now: et('2026-11-02 09:00') };
const NOW = et('Wed 2026-12-02 12:00');
const maria: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };
const CUSTOMER = 'cccccccc-0000-4000-8000-000000000001';
const TITLE_B = '=HYPERLINK("http://evil.example","open me")';
const ids: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };

beforeAll(async () => {
  ({ entra, app, stop } = await startWithTabSso({ clock }));
  // A: P2 Contoso, Eddie replies in time (and so owns it), resolved the next Monday before the work-around is due.
  ids.a = (
    await seed(app, clock, et('Mon 2026-11-02 10:00'), { priority: 'P2', title: 'Transfers fail' })
  ).id;
  await act(app, clock, et('Mon 2026-11-02 10:30'), ids.a, { kind: 'reply', text: 'Looking' });
  await act(app, clock, et('Mon 2026-11-09 09:00'), ids.a, { kind: 'resolve', text: 'Fixed' });
  // B: P1 Fabrikam (a name and title a spreadsheet would run), replied to late, never worked around.
  ids.b = (
    await seed(app, clock, et('Tue 2026-11-10 09:00'), {
      priority: 'P1',
      category: 'outage',
      tenantId: FABRIKAM,
      customerName: '@Fabrikam',
      title: TITLE_B,
    })
  ).id;
  await act(app, clock, et('Tue 2026-11-10 10:30'), ids.b, { kind: 'reply', text: 'On it' });
  // C: P3 Contoso, Maria asks for information (owning it): waiting on the customer ever since.
  ids.c = (await seed(app, clock, et('Mon 2026-11-16 10:00'), { priority: 'P3', title: 'Add a user' })).id;
  clock.now = et('Mon 2026-11-16 11:00');
  const asked = await app.tickets.act({ kind: 'staff' }, ids.c, maria, { kind: 'ask', text: 'Which user?' });
  if (!asked.ok) throw asked.error;
  // D: P2 Contoso nobody answered: its response breached on 30 November.
  ids.d = (await seed(app, clock, et('Mon 2026-11-30 10:00'), { priority: 'P2', title: 'Voicemail' })).id;
  // E: P2 Contoso that Eddie took, at risk now (105 of its 120 support-hours minutes used).
  ids.e = (await seed(app, clock, et('Wed 2026-12-02 10:15'), { priority: 'P2', title: 'Hold music' })).id;
  await act(app, clock, et('Wed 2026-12-02 10:20'), ids.e, { kind: 'take' });
  clock.now = NOW;
  // The work each change started in the background (cards, counters, outbox) is done before the first
  // question: a queue read while a change lands skips that ticket until the next read (ticket-queue.ts).
  await app.background.drain();
});
afterAll(() => stop());

const manager = () => entra.mintToken(ssoClaims(STAFF_TENANT, MANAGER));
const engineer = () => entra.mintToken(ssoClaims(STAFF_TENANT, ENGINEER));
const customer = () => entra.mintToken(ssoClaims(CONTOSO, CUSTOMER));

async function get(path: string, bearer: string) {
  const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a download
  }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

/** RFC 4180 read back: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const minutes = (from: number, to: number): number => (to - from) / MINUTE;

describe('the Team view API', () => {
  it('workload: open tickets per owner, at risk, breached and paused, and Unassigned', async () => {
    const r = await get('/api/insights/workload', manager());
    expect(r.status).toBe(200);
    expect(r.json['truncated']).toBe(false);
    expect(r.json['tickets']).toBe(4);
    expect(r.json['rows']).toEqual([
      { owner: { id: ENGINEER, name: 'Eddie Engineer' }, open: 2, atRisk: 1, breached: 1, paused: 0 },
      { owner: { id: MANAGER, name: 'Maria Manager' }, open: 1, atRisk: 0, breached: 0, paused: 1 },
      { owner: null, open: 1, atRisk: 0, breached: 1, paused: 0 },
    ]);
    // An engineer may look too.
    expect((await get('/api/insights/workload', engineer())).status).toBe(200);
  });

  it('trend: twelve weeks from Monday 00:00 ET, filed, resolved and the backlog at each week end', async () => {
    const r = await get('/api/insights/trend?weeks=12', manager());
    expect(r.status).toBe(200);
    const mondays = [
      '2026-09-14',
      '2026-09-21',
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ];
    const weeks = r.json['weeks'] as Record<string, unknown>[];
    expect(weeks.map((w) => w['start'])).toEqual(mondays.map((d) => et(`${d} 00:00`)));
    // The week of 26 October runs into standard time: 7 days and one hour long.
    expect(((weeks[6]?.['end'] as number) - (weeks[6]?.['start'] as number)) / 3_600_000).toBe(169);
    const expected: Record<string, [number, number, number]> = {
      '2026-11-02': [1, 0, 1],
      '2026-11-09': [1, 1, 1],
      '2026-11-16': [1, 0, 2],
      '2026-11-23': [0, 0, 2],
      '2026-11-30': [2, 0, 4],
    };
    expect(weeks.map((w) => [w['created'], w['resolved'], w['backlog']])).toEqual(
      mondays.map((d) => expected[d] ?? [0, 0, 0]),
    );
    expect(weeks.map((w) => w['partial'])).toEqual(mondays.map((d) => d === '2026-11-30'));
    expect((await get('/api/insights/trend?weeks=0', manager())).status).toBe(400);
    expect((await get('/api/insights/trend?weeks=abc', manager())).json['error']).toMatchObject({
      field: 'weeks',
    });
  });

  it('met % for November per engineer and per customer, truncated to one decimal', async () => {
    const r = await get('/api/insights/sla?month=2026-11', manager());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ month: '2026-11', partial: false, timeZone: 'America/New_York' });
    expect(String(r.json['rule'])).toContain('truncated');
    type Group = { key: string; name: string; targets: Record<string, unknown>[] };
    const rows = (groups: unknown) =>
      (groups as Group[]).map((g) => [
        g.name,
        g.targets.map((t) => [t['target'], t['due'], t['met'], t['breached'], t['open'], t['percent']]),
      ]);
    expect(rows(r.json['byEngineer'])).toEqual([
      [
        'Eddie Engineer',
        [
          ['response', 2, 1, 1, 0, '50.0 %'],
          ['workaround', 2, 1, 1, 0, '50.0 %'],
          ['all', 4, 2, 2, 0, '50.0 %'],
        ],
      ],
      [
        'Maria Manager',
        [
          ['response', 1, 1, 0, 0, '100.0 %'],
          ['workaround', 1, 0, 0, 1, null],
          ['all', 2, 1, 0, 1, '100.0 %'],
        ],
      ],
      [
        'Unassigned',
        [
          ['response', 1, 0, 1, 0, '0.0 %'],
          ['workaround', 0, 0, 0, 0, null],
          ['all', 1, 0, 1, 0, '0.0 %'],
        ],
      ],
    ]);
    // Contoso's responses: 2 of 3 met is 66.66… %, shown 66.6 % (rounding would claim 66.7 %).
    expect(rows(r.json['byCustomer'])).toEqual([
      [
        '@Fabrikam',
        [
          ['response', 1, 0, 1, 0, '0.0 %'],
          ['workaround', 1, 0, 1, 0, '0.0 %'],
          ['all', 2, 0, 2, 0, '0.0 %'],
        ],
      ],
      [
        'Contoso',
        [
          ['response', 3, 2, 1, 0, '66.6 %'],
          ['workaround', 2, 1, 0, 1, '100.0 %'],
          ['all', 5, 3, 1, 1, '75.0 %'],
        ],
      ],
    ]);
    // Without a month: the support zone's current one (December).
    expect((await get('/api/insights/sla', manager())).json['month']).toBe('2026-12');
    const bad = await get('/api/insights/sla?month=2026-13', manager());
    expect(bad.status).toBe(400);
    expect(bad.json['error']).toMatchObject({ code: 'INVALID_INPUT', field: 'month' });
  });

  it('the CSV export: a download with BOM, header, one row per ticket and target, formulas neutralised', async () => {
    const r = await get('/api/export/sla.csv?month=2026-11', manager());
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="sla-2026-11.csv"');
    expect([...r.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(r.text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(r.text.replace(/^\uFEFF/, ''));
    expect(header).toEqual([
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
    ]);
    // Ticket by ticket (by id, numerically), response before work-around; E was filed in December.
    const byId = (x: string, y: string) => x.localeCompare(y, 'en', { numeric: true });
    expect(rows.map((x) => [x[0], x[5]])).toEqual(
      [
        [ids.a, 'response'],
        [ids.a, 'workaround'],
        [ids.b, 'response'],
        [ids.b, 'workaround'],
        [ids.c, 'response'],
        [ids.c, 'workaround'],
        [ids.d, 'response'],
      ].sort((x, y) => byId(x[0] ?? '', y[0] ?? '') || byId(x[1] ?? '', y[1] ?? '')),
    );
    const row = (id: string, target: string) => rows.find((x) => x[0] === id && x[5] === target);
    // B's response: P1 in hours, 60 continuous minutes from 09:00; answered at 10:30, half an hour late.
    expect(row(ids.b, 'response')).toEqual([
      ids.b,
      "'@Fabrikam",
      `'${TITLE_B}`,
      'P1',
      'Eddie Engineer',
      'response',
      'continuous',
      '2026-11-10T09:00:00.000-05:00',
      '2026-11-10T10:00:00.000-05:00',
      '2026-11-10T10:30:00.000-05:00',
      String(minutes(et('2026-11-10 09:00'), et('2026-11-10 10:30'))),
      String(minutes(et('2026-11-10 09:00'), et('2026-11-10 10:30'))),
      '0',
      'yes',
    ]);
    // C's work-around: business days from Monday 10:00, stopped at 11:00 by a wait still open now: no
    // deadline, 60 business minutes, and the wait counted up to now.
    expect(row(ids.c, 'workaround')).toEqual([
      ids.c,
      'Contoso',
      'Add a user',
      'P3',
      'Maria Manager',
      'workaround',
      'business-days',
      '2026-11-16T10:00:00.000-05:00',
      '',
      '',
      '60',
      String(minutes(et('2026-11-16 10:00'), NOW)),
      String(minutes(et('2026-11-16 11:00'), NOW)),
      'no',
    ]);
    // D's response: support hours 04:00-22:00 on weekdays, Monday 10:00 to Wednesday 12:00, never met.
    const supportMinutes = 12 * 60 + 18 * 60 + 8 * 60;
    expect(row(ids.d, 'response')).toEqual([
      ids.d,
      'Contoso',
      'Voicemail',
      'P2',
      '',
      'response',
      'support-hours',
      '2026-11-30T10:00:00.000-05:00',
      '2026-11-30T12:00:00.000-05:00',
      '',
      String(supportMinutes),
      String(minutes(et('2026-11-30 10:00'), NOW)),
      '0',
      'yes',
    ]);
    // The raw text: the formula cells start with a quote inside RFC 4180 quoting.
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil.example"",""open me"")"`);
    expect(r.text).toContain(`,'@Fabrikam,`);
  });

  it('customers are refused every Team route (403) and the refusal is audited; a bad month is a 400', async () => {
    for (const path of [
      '/api/insights/workload',
      '/api/insights/trend',
      '/api/insights/sla?month=2026-11',
      '/api/export/sla.csv?month=2026-11',
      '/api/export/sla.csv?month=nope',
    ]) {
      const r = await get(path, customer());
      expect([path, r.status, r.text]).toEqual([
        path,
        403,
        JSON.stringify({ error: { code: 'FORBIDDEN', message: 'You do not have access to this.' } }),
      ]);
    }
    const audit = await app.deps.audit.day('2026-12-02');
    expect(
      audit
        .filter((e) => e.userId === CUSTOMER)
        .map((e) => [e.action, e.outcome, e.tenantId, e.target])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual([
      ['api.export.sla', 'refused', CONTOSO, '/api/export/sla.csv'],
      ['api.export.sla', 'refused', CONTOSO, '/api/export/sla.csv'],
      ['api.insights.sla', 'refused', CONTOSO, '/api/insights/sla'],
      ['api.insights.trend', 'refused', CONTOSO, '/api/insights/trend'],
      ['api.insights.workload', 'refused', CONTOSO, '/api/insights/workload'],
    ]);
    const bad = await get('/api/export/sla.csv?month=2026-1', manager());
    expect(bad.status).toBe(400);
    expect(bad.json['error']).toMatchObject({ code: 'INVALID_INPUT', field: 'month' });
  });
});
