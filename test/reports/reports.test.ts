// Monthly reports: availability per the policy's zone and each customer's SLA report, as data, as CSV (read
// back with an RFC 4180 parser) and as a printable page. Pure: tickets come from the pure ticket commands.
import type { Outage } from '../../src/domain/outages/model';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { availabilityReport } from '../../src/domain/reports/availability';
import { csvCell, toCsv } from '../../src/domain/reports/csv';
import { customerReport } from '../../src/domain/reports/customer';
import {
  AVAILABILITY_CSV_HEADER,
  availabilityCsv,
  availabilityHtml,
  CUSTOMER_CSV_HEADER,
  customerCsv,
  customerHtml,
} from '../../src/domain/reports/render';
import { SlaEngine } from '../../src/domain/sla';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { aFiling, alice, ann, CONTOSO, FABRIKAM } from '../fixtures/filing';

const engine = new SlaEngine(DEFAULT_POLICY);
const NOW = et('2026-12-02 09:00');
const meg = { id: 'aad-meg', name: 'Meg Manager' };

/** A ticket filed at `at` and then worked by the steps, each [when, who, command]. */
function aTicketFiled(
  id: string,
  at: string,
  over: Parameters<typeof aFiling>[0],
  steps: readonly [string, Actor, Command][] = [],
): Ticket {
  const opened = openTicket(id, aFiling(over), et(at), engine);
  if (!opened.ok) throw opened.error;
  let t = opened.value.ticket;
  for (const [when, who, cmd] of steps) {
    const next = apply(t, who, cmd, et(when), engine);
    if (!next.ok) throw next.error;
    t = next.value.ticket;
  }
  return t;
}

function anOutage(id: string, start: string, end: string | null, over: Partial<Outage> = {}): Outage {
  const by = { id: 'aad-alice', name: 'Alice Engineer' };
  return {
    id,
    start: et(start),
    end: end === null ? null : et(end),
    affected: 'Calling',
    cause: 'SBC failure (internal)',
    exclusion: null,
    createdBy: by,
    createdAt: et(start),
    updatedAt: et(start),
    version: 1,
    historyCount: 1,
    lastChange: { at: et(start), by, what: 'recorded it' },
    ...over,
  };
}

/** RFC 4180 reader: quoted cells, doubled quotes, CRLF; strips the BOM. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const s = text.slice(1);
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
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(row).toEqual([]);
  expect(cell).toBe('');
  return rows;
}

const NASTY = '=HYPERLINK("http://evil","Click"), with "quotes"\nand a second line';

describe('the availability report', () => {
  it('November 2026: 3 minutes down and an approved (b) hour excluded → met; figures and outages', () => {
    const outages = [
      anOutage('OUT-1', '2026-11-10 12:00', '2026-11-10 12:03'),
      anOutage('OUT-2', '2026-11-12 08:00', '2026-11-12 09:00', {
        exclusion: {
          category: 'b',
          justification: 'Microsoft 365 incident TM123',
          status: 'approved',
          requestedBy: { id: 'aad-alice', name: 'Alice Engineer' },
          requestedAt: et('2026-11-12 09:10'),
          decidedBy: meg,
          decidedAt: et('2026-11-12 10:00'),
        },
      }),
      anOutage('OUT-3', '2026-11-20 08:00', '2026-11-20 08:01', {
        exclusion: {
          category: 'd',
          justification: 'Their LAN',
          status: 'requested',
          requestedBy: { id: 'aad-alice', name: 'Alice Engineer' },
          requestedAt: et('2026-11-20 09:00'),
        },
      }),
      anOutage('OUT-4', '2026-10-02 08:00', '2026-10-02 09:00'),
    ];
    const r = availabilityReport(DEFAULT_POLICY, '2026-11', outages, NOW, 'staff');
    expect(r.figures).toMatchObject({
      minutes: 43_260,
      outageMinutes: 4,
      excludedMinutes: 60,
      availability: 0.99990754,
      target: 0.9999,
      met: true,
      budgetMinutes: 4.326,
      budgetUsedMinutes: 4,
      budgetLeftMinutes: 0.326,
    });
    expect(r.partial).toBe(false);
    expect(r.outages.map((o) => [o.id, o.minutesInMonth, o.counted])).toEqual([
      ['OUT-1', 3, 'down'],
      ['OUT-2', 60, 'excluded'],
      ['OUT-3', 1, 'down-exclusion-requested'],
    ]);
    expect(r.outages[0]?.cause).toBe('SBC failure (internal)');
    const forCustomer = availabilityReport(DEFAULT_POLICY, '2026-11', outages, NOW, 'customer');
    expect(JSON.stringify(forCustomer)).not.toContain('internal');
    expect(JSON.stringify(forCustomer)).not.toContain('TM123');
  });

  it('an ongoing outage counts up to now and the month is marked in progress', () => {
    const r = availabilityReport(
      DEFAULT_POLICY,
      '2026-12',
      [anOutage('OUT-9', '2026-12-02 08:30', null)],
      NOW,
      'staff',
    );
    expect(r.partial).toBe(true);
    expect(r.figures).toMatchObject({ outageMinutes: 30, met: false, budgetLeftMinutes: 0 });
    expect(r.outages[0]).toMatchObject({ end: null, minutesInMonth: 30 });
  });

  it('CSV: the header, one row per figure and per outage, escaped text, no formula', () => {
    const outages = [anOutage('OUT-1', '2026-11-10 12:00', '2026-11-10 12:03', { affected: NASTY })];
    const rows = parseCsv(
      availabilityCsv(availabilityReport(DEFAULT_POLICY, '2026-11', outages, NOW, 'staff')),
    );
    expect(rows[0]).toEqual([...AVAILABILITY_CSV_HEADER]);
    const figure = (item: string) => rows.find((r) => r[0] === 'availability' && r[1] === item)?.[6];
    expect(figure('minutes in month')).toBe('43260');
    expect(figure('down minutes')).toBe('3');
    expect(figure('availability')).toBe('0.99993065');
    expect(figure('result')).toBe('met');
    expect(figure('excluded (b) Force majeure (including Microsoft)')).toBe('0');
    expect(rows.filter((r) => r[0] === 'availability')).toHaveLength(18);
    const outage = rows.filter((r) => r[0] === 'outage');
    expect(outage).toEqual([
      [
        'outage',
        'down',
        'OUT-1',
        `'${NASTY}`,
        '2026-11-10T12:00:00.000-05:00',
        '2026-11-10T12:03:00.000-05:00',
        '3',
        'minutes',
      ],
    ]);
    for (const r of rows) expect(r).toHaveLength(AVAILABILITY_CSV_HEADER.length);
  });

  it('HTML: a printable page with every text escaped', () => {
    const outages = [
      anOutage('OUT-1', '2026-11-10 12:00', '2026-11-10 12:03', { affected: '<script>alert(1)</script>' }),
    ];
    const page = availabilityHtml(availabilityReport(DEFAULT_POLICY, '2026-11', outages, NOW, 'staff'));
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('@media print');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    // 3 minutes down of 43,200: 99.99305… %, truncated as everywhere else (never rounded up).
    expect(page).toContain('99.9930 %');
    expect(page).toContain('<span class="met">Met</span>');
    expect(page).toContain('2026-11-10 12:00 ET');
  });
});

describe("a customer's monthly SLA report", () => {
  const tickets = (): Ticket[] => [
    // P1 Wed 25 Nov 10:00: reply 10:30 (response met, due 11:00); no work-around by Fri 27 10:00 → breached.
    aTicketFiled('TM-1001', '2026-11-25 10:00', { priority: 'P1', title: NASTY }, [
      ['2026-11-25 10:30', alice, { kind: 'reply', text: 'Looking' }],
    ]),
    // P3 Tue 24 Nov 09:00, waiting on the customer 10:00–15:00 (SLA-RULES.md): response due 18:00, met 17:00.
    aTicketFiled('TM-1002', '2026-11-24 09:00', { priority: 'P3', title: 'Voicemail greeting' }, [
      ['2026-11-24 10:00', alice, { kind: 'ask', text: 'Which user?' }],
      ['2026-11-24 15:00', ann, { kind: 'customer-message', text: 'Bob' }],
      ['2026-11-24 17:00', alice, { kind: 'reply', text: 'Fixed the greeting' }],
      ['2026-11-25 09:00', alice, { kind: 'workaround', text: 'Re-recorded' }],
    ]),
    // P2 Wed 25 Nov 21:30: response due Thu 05:30, replied 06:00 → breached by 30 minutes.
    aTicketFiled('TM-1003', '2026-11-25 21:30', { priority: 'P2', title: 'Transfers fail' }, [
      ['2026-11-26 06:00', alice, { kind: 'reply', text: 'On it' }],
      ['2026-11-26 08:00', alice, { kind: 'workaround', text: 'Use the web client' }],
    ]),
    // October ticket whose targets fell in October: not in November's figures.
    aTicketFiled('TM-0999', '2026-10-20 10:00', { priority: 'P2', title: 'Old' }, [
      ['2026-10-20 10:10', alice, { kind: 'reply', text: 'Hi' }],
      ['2026-10-20 10:20', alice, { kind: 'workaround', text: 'Done' }],
    ]),
    // Another customer's ticket never shows.
    aTicketFiled('TM-2001', '2026-11-25 10:00', {
      priority: 'P1',
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      title: 'Secret',
    }),
  ];
  const outages = [anOutage('OUT-1', '2026-11-10 12:00', '2026-11-10 12:05')];
  const report = () =>
    customerReport(DEFAULT_POLICY, engine, '2026-11', CONTOSO, 'Contoso', tickets(), outages, NOW);

  it('targets met and breached per priority, breaches with their tickets, waiting time (e), availability', () => {
    const r = report();
    expect(r.filed).toBe(3);
    const row = (p: string, t: string) => r.targets.find((x) => x.priority === p && x.target === t);
    expect(row('P1', 'response')).toEqual({
      priority: 'P1',
      target: 'response',
      due: 1,
      met: 1,
      breached: 0,
      open: 0,
    });
    expect(row('P1', 'workaround')).toEqual({
      priority: 'P1',
      target: 'workaround',
      due: 1,
      met: 0,
      breached: 1,
      open: 0,
    });
    expect(row('P2', 'response')).toMatchObject({ due: 1, met: 0, breached: 1 });
    expect(row('P2', 'workaround')).toMatchObject({ due: 0 });
    expect(row('P3', 'response')).toMatchObject({ due: 1, met: 1, breached: 0 });
    expect(r.breaches.map((b) => [b.ticketId, b.target, b.lateMinutes, b.metAt === null])).toEqual([
      ['TM-1003', 'response', 30, false],
      ['TM-1001', 'workaround', 7140, true],
    ]);
    expect(r.paused).toEqual([{ ticketId: 'TM-1002', title: 'Voicemail greeting', minutes: 300 }]);
    expect(r.pausedMinutes).toBe(300);
    expect(r.availability.figures).toMatchObject({ outageMinutes: 5, availability: 0.99988442, met: false });
    expect(JSON.stringify(r)).not.toContain('Secret');
    expect(JSON.stringify(r)).not.toContain('internal');
  });

  it('CSV opens as expected: header, one row per figure or ticket, escaped text', () => {
    const rows = parseCsv(customerCsv(report()));
    expect(rows[0]).toEqual([...CUSTOMER_CSV_HEADER]);
    for (const r of rows) expect(r).toHaveLength(CUSTOMER_CSV_HEADER.length);
    expect(rows.filter((r) => r[0] === 'targets')).toHaveLength(3 * 2 * 4);
    expect(
      rows.find(
        (r) => r[0] === 'targets' && r[1] === 'breached' && r[2] === 'P1' && r[3] === 'workaround',
      )?.[8],
    ).toBe('1');
    const breaches = rows.filter((r) => r[0] === 'breach');
    expect(breaches).toEqual([
      [
        'breach',
        'breached, met late',
        'P2',
        'response',
        'TM-1003',
        'Transfers fail',
        '2026-11-26T05:30:00.000-05:00',
        '2026-11-26T06:00:00.000-05:00',
        '30',
        'minutes late',
      ],
      [
        'breach',
        'breached, not yet met',
        'P1',
        'workaround',
        'TM-1001',
        // A title is one line (fields.ts oneLineText): its newline is stored as a space. A newline in a
        // cell is escaped in the outage row above and in csvCell's cases below.
        `'${NASTY.replace('\n', ' ')}`,
        '2026-11-27T10:00:00.000-05:00',
        '',
        '7140',
        'minutes late',
      ],
    ]);
    expect(rows.filter((r) => r[0] === 'waiting on customer (e)').map((r) => [r[1], r[4], r[8]])).toEqual([
      ['paused', 'TM-1002', '300'],
      ['total', '', '300'],
    ]);
    expect(rows.find((r) => r[0] === 'availability' && r[1] === 'availability')?.[8]).toBe('0.99988442');
  });

  it('the printable page names the customer and escapes ticket titles', () => {
    const page = customerHtml(report());
    expect(page).toContain('<h1>SLA report: Contoso, 2026-11</h1>');
    expect(page).toContain('=HYPERLINK(&quot;http://evil&quot;');
    expect(page).toContain('TM-1003');
    expect(page).toContain('Time waiting on you (exclusion e)');
  });
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    [' padded ', '" padded "'],
    [42, '42'],
    [-1.5, '-1.5'],
    [true, 'true'],
    [null, ''],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('a document ends every line with CRLF and starts with a BOM', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('\uFEFFa,b\r\n1,x\r\n');
  });
});
