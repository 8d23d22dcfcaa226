// Zone names are IANA names on every runtime: Node 22's ICU takes offsets such as "-05:00" as zones, Node 20's
// does not, so the check may not rest on the runtime alone.
import { isZoneName } from '../../src/domain/kit/zone';
import { validZone } from '../../src/domain/cards/time';

describe('IANA zone names', () => {
  it.each([
    'America/New_York',
    'UTC',
    'Etc/GMT+5',
    'America/Argentina/Buenos_Aires',
    'America/Port-au-Prince',
  ])('%s is one', (zone) => {
    expect(isZoneName(zone)).toBe(true);
    expect(validZone(zone)).toBe(zone);
  });
  it.each(['-05:00', '+01:00', '+0100', 'Mars/Base', '', 'America/', '/UTC', 'UTC+1:00'])(
    '"%s" is not',
    (zone) => {
      expect(isZoneName(zone)).toBe(false);
      expect(validZone(zone)).toBeUndefined();
    },
  );
});
