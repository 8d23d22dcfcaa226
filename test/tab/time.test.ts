// The tab's time helpers, run as they are in the browser (Intl with IANA zones).
import { monthIn } from '../../tab/src/components/time';

describe('monthIn', () => {
  it('names the month in the support zone, not in UTC', () => {
    // 31 October 20:00 ET is already 1 November in UTC: the report's default month is still October.
    const evening = Date.parse('2026-10-31T20:00:00-04:00');
    expect(monthIn(evening, 'America/New_York')).toBe('2026-10');
    expect(monthIn(evening, 'UTC')).toBe('2026-11');
  });

  it('turns at local midnight', () => {
    expect(monthIn(Date.parse('2026-12-01T00:00:00-05:00'), 'America/New_York')).toBe('2026-12');
    expect(monthIn(Date.parse('2026-11-30T23:59:59-05:00'), 'America/New_York')).toBe('2026-11');
  });
});
