// Availability reads the same everywhere: truncated to the digits shown, never rounded up.
import { availabilityPercent } from '../../src/domain/reports/percent';

it('truncates rather than rounds, so a month just under target never reads as meeting it', () => {
  expect(availabilityPercent(0.999932999)).toBe('99.9932 %');
  expect(availabilityPercent(0.99989999)).toBe('99.9899 %');
  expect(availabilityPercent(0.9999)).toBe('99.9900 %');
  expect(availabilityPercent(1)).toBe('100.0000 %');
  expect(availabilityPercent(0.9999768518, 3)).toBe('99.997 %');
});
