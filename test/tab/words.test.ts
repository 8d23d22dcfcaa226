// The tab's sentences, read as the pages show them: true while targets still run, counts with their plural,
// months by name, budgets on their clock, the paging chain with its delays.
import { monthLabel, plural } from '../../tab/src/components/time';
import { budgetText, noBreachText, noMissText, pagedText } from '../../tab/src/components/words';

const counts = (pending: number, na = 0) => ({
  onTime: 1,
  late: 0,
  breached: 0,
  pending,
  na,
  share: 1,
});

describe('counts and months', () => {
  it.each([
    [0, '0 tickets'],
    [1, '1 ticket'],
    [2, '2 tickets'],
  ])('%d reads "%s"', (n, text) => {
    expect(plural(n, 'ticket')).toBe(text);
  });

  it('names a month by name and year, in every picker', () => {
    expect(monthLabel('2026-12')).toBe('December 2026');
    expect(monthLabel('2027-01')).toBe('January 2027');
  });
});

describe('no missed deadline', () => {
  it('never says every target was met while targets still run', () => {
    expect(noMissText({ response: counts(5), workaround: counts(4) })).toBe(
      'No missed deadline so far; 9 targets still running.',
    );
    expect(noMissText({ response: counts(1), workaround: counts(0) })).toBe(
      'No missed deadline so far; 1 target still running.',
    );
    expect(noMissText({ response: counts(0), workaround: counts(0) })).toBe(
      "Every target of the month's tickets was met on time.",
    );
    expect(noMissText({ response: counts(0), workaround: counts(0, 1) })).toBe(
      "Every target of the month's tickets was met on time; 1 target was not needed (the ticket closed before its deadline).",
    );
  });

  it('the report says every target due was met only for a finished month with none running', () => {
    const t = (open: number) => ({
      priority: 'P1',
      target: 'response',
      due: 9,
      met: 9 - open,
      breached: 0,
      open,
    });
    const report = (open: number, partial: boolean) =>
      ({ targets: [t(open), t(0)], partial }) as unknown as Parameters<typeof noBreachText>[0];
    expect(noBreachText(report(9, true))).toBe('No missed deadline so far; 9 targets still running.');
    expect(noBreachText(report(0, true))).toBe(
      'No missed deadline so far; every target due until now was met.',
    );
    expect(noBreachText(report(0, false))).toBe('Every target due this month was met.');
  });
});

describe('budgets and paging', () => {
  it('reads a budget on its clock', () => {
    expect(budgetText(120, 'support-hours')).toBe('2 h of support hours');
    expect(budgetText(5 * 1440, 'business-days')).toBe('5 business days');
    expect(budgetText(1440, 'business-days')).toBe('1 business day');
    expect(budgetText(240, 'continuous')).toBe('4 h, continuous clock');
  });

  it('says when each step of the chain is paged', () => {
    expect(pagedText(0)).toBe('paged at once');
    expect(pagedText(30)).toBe('paged 30 min after the first page, if unacknowledged');
  });
});
