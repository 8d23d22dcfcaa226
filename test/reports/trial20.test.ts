// Trial 20: one finished wait reads the same in the SLA report (page, card) and on the dashboard, by one rule
// (cut, never rounded up; seconds under an hour); and the report names the customer to staff ("Waiting on the
// customer") and "you" to the customer, without nested brackets.
import { customerReportCard } from '../../src/domain/cards/reports';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { customerReport } from '../../src/domain/reports/customer';
import { cutMinutes, duration, minutesText } from '../../src/domain/reports/duration';
import { customerHtml } from '../../src/domain/reports/render';
import { noWaitText, waitingHeading, waitingLabel } from '../../src/domain/reports/words';
import { SlaEngine } from '../../src/domain/sla';
import { contribution } from '../../src/domain/stats/figures';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, CONTOSO } from '../fixtures/filing';
import { cardText } from '../support/cards';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);
const NOW = et('2026-12-06T11:00:00');

/** A P3 whose engineer asked at 05:52:00 and whose customer answered `waitMs` later. */
function waited(waitMs: number): Ticket {
  const opened = openTicket('TM-1021', aFiling({ priority: 'P3' }), et('2026-12-06T05:50:00'), engine);
  if (!opened.ok) throw opened.error;
  let t = opened.value.ticket;
  const steps: [Actor, Command, number][] = [
    [alice, { kind: 'ask', text: 'Which error code?' }, et('2026-12-06T05:52:00')],
    [ann, { kind: 'customer-message', text: 'E42' }, et('2026-12-06T05:52:00') + waitMs],
  ];
  for (const [who, cmd, at] of steps) {
    const r = apply(t, who, cmd, at, engine);
    if (!r.ok) throw r.error;
    t = r.value.ticket;
  }
  return t;
}

/** The wait as the dashboard shows it: the counters' wall milliseconds, seconds kept under an hour. */
const dashboard = (t: Ticket): string => duration(contribution(engine, t).pausedMs, true);

describe('one finished wait, read in the report and on the dashboard', () => {
  it.each([
    [7_900, '7 s'],
    [59_999, '59 s'],
    [259_900, '4 min 19 s'],
    [3_725_000, '1 h 2 min'],
  ])('a wait of %i ms reads "%s" on both sides (cut, never rounded up)', (ms, words) => {
    const t = waited(ms);
    expect(dashboard(t)).toBe(words);
    const r = customerReport(DEFAULT_POLICY, engine, '2026-12', CONTOSO, 'Contoso', [t], [], NOW);
    expect(r.paused.map((p) => minutesText(p.minutes, true))).toEqual([words]);
    expect(minutesText(r.pausedMinutes, true)).toBe(words);
    expect(customerHtml(r)).toContain(`<td class="num">${words}</td>`);
  });

  it('keeps whole seconds only: 7.9 s is 7 s, never 8 s (and never 6 s from a tenth of a minute)', () => {
    expect(cutMinutes(7_900) * 60).toBeCloseTo(7, 9);
    expect(minutesText(cutMinutes(7_900), true)).toBe('7 s');
    expect(minutesText(cutMinutes(3_900), true)).toBe('3 s');
  });
});

describe('whom the report speaks to', () => {
  const t = waited(7_000);
  const forCustomer = customerReport(DEFAULT_POLICY, engine, '2026-12', CONTOSO, 'Contoso', [t], [], NOW);
  const forStaff = customerReport(
    DEFAULT_POLICY,
    engine,
    '2026-12',
    CONTOSO,
    'Contoso',
    [t],
    [],
    NOW,
    'staff',
  );

  it('the customer reads "you", staff read "the customer", with no nested brackets', () => {
    expect(waitingLabel('customer')).toBe('Waiting on you');
    expect(waitingLabel('staff')).toBe('Waiting on the customer');
    expect(customerHtml(forCustomer)).toContain('<h2>Time waiting on you (exclusion e)</h2>');
    expect(customerHtml(forStaff)).toContain('<h2>Time waiting on the customer (exclusion e)</h2>');
    expect(customerHtml(forStaff)).not.toMatch(/waiting on you|waited on you/i);
    for (const page of [customerHtml(forCustomer), customerHtml(forStaff)]) expect(page).not.toContain('((');
    expect(page(forStaff)).not.toMatch(/\([^)]*\(/);
  });

  it("the chat card (a customer's) and the empty state say it the same way", () => {
    const card = cardText(customerReportCard(forCustomer, '2026-11'));
    expect(card).toContain('Time waiting on you (exclusion e)');
    expect(card).not.toContain('(exclusion (e))');
    expect(noWaitText('staff')).toBe('No ticket waited on the customer this month.');
    expect(waitingHeading('staff')).toBe('Time waiting on the customer (exclusion e)');
  });
});

/** The page's text without tags, where a nested bracket would show. */
function page(r: Parameters<typeof customerHtml>[0]): string {
  return customerHtml(r).replace(/<[^>]*>/g, ' ');
}
