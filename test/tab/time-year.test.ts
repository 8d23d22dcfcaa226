// Dates in the tab carry the year when they are not in the current year, in the zone they are shown in.
import { dateTime, sameWall } from '../../tab/src/components/time';

const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('dateTime', () => {
  it('leaves the year out within the current year', () => {
    expect(dateTime(Date.parse('2026-11-25T15:00:00Z'), 'Europe/London', NOW)).toBe('Wed 25 Nov, 15:00');
  });

  it('shows the year for a date in another year, before or after', () => {
    expect(dateTime(Date.parse('2027-01-05T15:38:00Z'), 'Europe/London', NOW)).toBe('Tue 5 Jan 2027, 15:38');
    expect(dateTime(Date.parse('2025-12-30T09:05:00Z'), 'Europe/London', NOW)).toBe('Tue 30 Dec 2025, 09:05');
  });

  it('decides the year in the zone shown: New Year is already there in Tokyo, not yet in New York', () => {
    const eve = Date.parse('2026-12-31T20:00:00Z');
    expect(dateTime(eve, 'America/New_York', NOW)).toBe('Thu 31 Dec, 15:00');
    expect(dateTime(eve, 'Asia/Tokyo', NOW)).toBe('Fri 1 Jan 2027, 05:00');
  });

  it('sameWall compares whole dates, years included', () => {
    expect(sameWall(Date.parse('2027-01-05T15:38:00Z'), 'UTC')).toBe(
      dateTime(Date.parse('2027-01-05T15:38:00Z'), undefined, NOW) ===
        dateTime(Date.parse('2027-01-05T15:38:00Z'), 'UTC', NOW),
    );
  });
});
