// Outage and report cards at their largest (every text at its limit, markdown and mentions in it) parse with
// the official adaptivecards library without a warning, fit Teams' size limit, and show user text escaped.
import { outageFormCard } from '../../src/domain/cards/outages/form';
import { outageCard } from '../../src/domain/cards/outages/outage';
import { budgetNoticeCard, serviceStatusCard } from '../../src/domain/cards/outages/status';
import { customerReportCard } from '../../src/domain/cards/reports';
import type { Outage, OutageChange } from '../../src/domain/outages/model';
import { OUTAGE_LIMITS } from '../../src/domain/tickets/fields';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import type { CustomerReport } from '../../src/domain/reports/customer';
import { availabilityReport } from '../../src/domain/reports/availability';
import { monthAvailability } from '../../src/domain/sla';
import { et } from '../fixtures';
import { cardProblems, cardText } from '../support/cards';

const NOW = et('2026-11-25 12:00');
const NASTY = '**bold** <at>Bob</at> [link](https://evil.example) # heading';
const fill = (n: number) => `${NASTY} ${'x'.repeat(Math.max(0, n - NASTY.length - 1))}`;
const meg = { id: 'aad-meg', name: 'Meg <at>Manager</at>' };

function biggest(status: 'requested' | 'approved' | 'rejected', end: number | null): Outage {
  return {
    id: 'OUT-9999999999',
    start: et('2026-11-25 10:00'),
    end,
    affected: fill(OUTAGE_LIMITS.affected),
    cause: fill(OUTAGE_LIMITS.cause),
    exclusion: {
      category: 'b',
      justification: fill(OUTAGE_LIMITS.justification),
      status,
      requestedBy: meg,
      requestedAt: NOW,
      ...(status === 'requested' ? {} : { decidedBy: meg, decidedAt: NOW, note: fill(OUTAGE_LIMITS.note) }),
    },
    createdBy: meg,
    createdAt: NOW,
    updatedAt: NOW,
    version: 7,
    historyCount: 7,
    lastChange: { at: NOW, by: meg, what: 'edited it' },
  };
}

const history: OutageChange[] = Array.from({ length: 5 }, (_, i) => ({
  outageId: 'OUT-9999999999',
  seq: i + 1,
  at: NOW,
  type: 'edited',
  actor: { ...meg, role: 'manager' },
  text: fill(3000),
}));

describe('outage cards at their largest', () => {
  it.each([
    ['requested, ongoing', biggest('requested', null)],
    ['approved, ended', biggest('approved', et('2026-11-25 11:00'))],
    ['rejected, ended', biggest('rejected', et('2026-11-25 11:00'))],
  ])('the live card (%s) is clean and escaped', (_name, outage) => {
    const card = outageCard({ policy: DEFAULT_POLICY, outage, history, now: NOW, notice: fill(300) });
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).not.toContain('<at>');
    expect(text).not.toContain('**bold**');
    expect(text).toContain('\\*\\*bold\\*\\* \\<at\\>Bob\\</at\\>');
  });

  it('the record form with every field typed in and an error', () => {
    const card = outageFormCard({
      policy: DEFAULT_POLICY,
      requestId: 'r-1',
      now: NOW,
      error: fill(300),
      values: {
        startDate: '2026-11-25',
        startTime: '10:00',
        endDate: '2026-11-25',
        endTime: '11:00',
        affected: fill(OUTAGE_LIMITS.affected),
        cause: fill(OUTAGE_LIMITS.cause),
        category: 'e',
        justification: fill(OUTAGE_LIMITS.justification),
      },
      ongoing: Array.from({ length: 20 }, () => biggest('requested', null)),
    });
    expect(cardProblems(card)).toEqual([]);
  });

  it('the status card for staff with many outages, and for a customer', () => {
    const outages = Array.from({ length: 30 }, () => biggest('approved', et('2026-11-25 11:00')));
    const month = monthAvailability(DEFAULT_POLICY, '2026-11', [], NOW);
    const staff = serviceStatusCard({
      policy: DEFAULT_POLICY,
      now: NOW,
      ongoing: outages.slice(0, 5),
      month,
      staff: { outages },
    });
    const customer = serviceStatusCard({
      policy: DEFAULT_POLICY,
      now: NOW,
      ongoing: outages.slice(0, 5),
      month,
      viewerZone: 'Asia/Tokyo',
    });
    expect(cardProblems(staff)).toEqual([]);
    expect(cardProblems(customer)).toEqual([]);
    expect(cardText(customer)).not.toContain(fill(OUTAGE_LIMITS.cause).slice(0, 200));
  });

  it.each(['summary', 'half', 'spent'] as const)('the %s notice', (kind) => {
    const m = monthAvailability(
      DEFAULT_POLICY,
      '2026-11',
      [{ start: et('2026-11-10 12:00'), end: et('2026-11-10 12:05'), exclusion: null }],
      NOW,
    );
    expect(cardProblems(budgetNoticeCard(DEFAULT_POLICY, kind, m, NOW, m.excludedByCategory))).toEqual([]);
  });

  it('the report card with many breaches and waits', () => {
    const report: CustomerReport = {
      kind: 'customer-sla',
      audience: 'customer',
      month: '2026-11',
      tenantId: 't',
      customerName: fill(200),
      timeZone: DEFAULT_POLICY.timeZone,
      timeZoneLabel: DEFAULT_POLICY.timeZoneLabel,
      generatedAt: NOW,
      partial: true,
      filed: 500,
      targets: [{ priority: 'P1', target: 'response', due: 500, met: 400, breached: 90, open: 10 }],
      breaches: Array.from({ length: 200 }, (_, i) => ({
        ticketId: `TM-${1000 + i}`,
        title: fill(200),
        priority: 'P1' as const,
        target: 'response' as const,
        due: NOW,
        metAt: null,
        lateMinutes: 90,
      })),
      paused: Array.from({ length: 200 }, (_, i) => ({
        ticketId: `TM-${1000 + i}`,
        title: fill(200),
        minutes: 30,
      })),
      pausedMinutes: 6000,
      availability: availabilityReport(DEFAULT_POLICY, '2026-11', [], NOW, 'customer'),
    };
    const card = customerReportCard(report, '2026-10');
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toContain('…and 190 more in the CSV.');
  });
});
