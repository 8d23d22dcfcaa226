// Monthly availability of the Core Service (SLA-RULES.md, "Availability"): union of outages,
// exclusions apart, clipped to the month in the policy's zone, ongoing outages counted to `now`.
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { monthAvailability, monthBounds, type OutageSpan } from '../../src/domain/sla';
import { MINUTE, anOutage, et, etText } from '../fixtures';

const NOV = '2026-11';
const LATER = et('2027-01-01 00:00');
const november = (outages: readonly OutageSpan[], now = LATER) =>
  monthAvailability(DEFAULT_POLICY, NOV, outages, now);

describe('availability', () => {
  it('a month runs from local midnight on the 1st to local midnight on the 1st of the next', () => {
    const { start, end } = monthBounds(NOV, 'America/New_York');
    expect([etText(start), etText(end)]).toEqual(['Sun 2026-11-01 00:00 EDT', 'Tue 2026-12-01 00:00 EST']);
  });

  it.each([
    ['2026-03', 44_580],
    ['2026-11', 43_260],
    ['2026-10', 44_640],
    ['2027-02', 40_320],
    ['2028-02', 41_760],
  ])('%s has %d minutes', (month, minutes) => {
    expect(monthAvailability(DEFAULT_POLICY, month, [], LATER).minutes).toBe(minutes);
  });

  it('overlapping outages count once', () => {
    const a = november([
      anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:03'),
      anOutage('Wed 2026-11-25 10:02', 'Wed 2026-11-25 10:05'),
      anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:03'),
    ]);
    expect(a.outageMinutes).toBe(5);
    expect(a.availability).toBe(0.99988442);
  });

  it('an outage across the month boundary counts in each month only its own part', () => {
    const outage = [anOutage('Sat 2026-10-31 23:50', 'Sun 2026-11-01 00:10 EDT')];
    expect(monthAvailability(DEFAULT_POLICY, '2026-10', outage, LATER).outageMinutes).toBe(10);
    expect(monthAvailability(DEFAULT_POLICY, NOV, outage, LATER).outageMinutes).toBe(10);
  });

  it('an ongoing outage counts up to now', () => {
    const a = november([anOutage('Wed 2026-11-25 10:00', null)], et('Wed 2026-11-25 10:07'));
    expect(a.outageMinutes).toBe(7);
    expect(a.met).toBe(false);
  });

  it('an outage still going on when the month ends counts to the end of the month', () => {
    const now = et('Tue 2026-12-01 00:05');
    const outage = [anOutage('Mon 2026-11-30 23:58', null)];
    expect(november(outage, now).outageMinutes).toBe(2);
    expect(monthAvailability(DEFAULT_POLICY, '2026-12', outage, now).outageMinutes).toBe(5);
  });

  it('an excluded outage overlapping a down one: the shared minutes are down, the rest excluded', () => {
    const a = november([
      anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:05'),
      anOutage('Wed 2026-11-25 10:03', 'Wed 2026-11-25 10:10', 'a'),
    ]);
    expect(a.outageMinutes).toBe(5);
    expect(a.excludedMinutes).toBe(5);
    expect(a.excludedByCategory.a).toBe(5);
  });

  it('an excluded outage inside a down one adds nothing excluded', () => {
    const a = november([
      anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:10'),
      anOutage('Wed 2026-11-25 10:02', 'Wed 2026-11-25 10:05', 'b'),
    ]);
    expect([a.outageMinutes, a.excludedMinutes, a.excludedByCategory.b]).toEqual([10, 0, 0]);
  });

  it('excluded outages of two categories that overlap count once in all', () => {
    const a = november([
      anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:10', 'a'),
      anOutage('Wed 2026-11-25 10:05', 'Wed 2026-11-25 10:15', 'c'),
    ]);
    expect(a.excludedMinutes).toBe(15);
    const byCategory = Object.values(a.excludedByCategory).reduce((x, y) => x + y, 0);
    expect(byCategory).toBe(15);
    expect(a.outageMinutes).toBe(0);
    expect(a.availability).toBe(1);
  });

  it('an outage entirely outside the month does not count', () => {
    const a = november([
      anOutage('Fri 2026-10-30 10:00', 'Fri 2026-10-30 12:00'),
      anOutage('Wed 2026-12-02 10:00', null),
    ]);
    expect([a.outageMinutes, a.excludedMinutes, a.availability, a.met]).toEqual([0, 0, 1, true]);
  });

  it('down minutes exactly equal to the budget (4.326 min) still meet the target', () => {
    const start = et('Wed 2026-11-25 10:00');
    expect(november([{ start, end: start + 4.326 * MINUTE }]).met).toBe(true);
    expect(november([{ start, end: start + 4.326 * MINUTE + 1 }]).met).toBe(false);
  });

  it('the budget used and left follow the down minutes', () => {
    const a = november([anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 10:03')]);
    expect([a.budgetMinutes, a.budgetUsedMinutes, a.budgetLeftMinutes]).toEqual([4.326, 3, 1.326]);
    expect(november([anOutage('Wed 2026-11-25 10:00', 'Wed 2026-11-25 11:00')]).budgetLeftMinutes).toBe(0);
  });

  it('a month that is not YYYY-MM is refused', () => {
    expect(() => monthAvailability(DEFAULT_POLICY, '2026-13', [], LATER)).toThrow(RangeError);
    expect(() => monthAvailability(DEFAULT_POLICY, 'November', [], LATER)).toThrow(
      'month must look like 2026-11',
    );
  });
});
