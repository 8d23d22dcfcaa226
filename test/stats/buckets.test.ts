// Reply-time histograms: percentiles are their bucket's lower edge (cut, never rounded up), layout 2 is to the
// minute below 8 h, and counter rows written in layout 1 still read as they meant.
import {
  applyTo,
  bucketLower,
  bucketOf,
  emptyCounters,
  responseQuantile,
  type Contribution,
  type Counters,
} from '../../src/domain/stats/figures';

const facts = { outcome: 'on-time', due: null, metAt: null, atRiskAt: null } as const;
const reply = (minutes: number, histLayout?: 1 | 2): Contribution => ({
  ticketId: `t${minutes}`,
  tenantId: 'x',
  customerName: 'X',
  title: 'T',
  owner: null,
  version: 1,
  month: '2026-11',
  priority: 'P1',
  open: false,
  response: facts,
  workaround: facts,
  responseMinutes: minutes,
  responseClockMinutes: minutes,
  pausedMs: 0,
  watchAt: null,
  pausedSince: null,
  ...(histLayout === undefined ? {} : { histLayout }),
});

describe('layout 2 buckets', () => {
  it.each([
    [2.0017, 2], // 120.1 s: 2 min, not 3
    [2, 2],
    [0.5, 0],
    [479.9, 479], // to the minute below 8 h
    [480, 480],
    [484.9, 480], // 5 min from 8 h
    [4319, 4315],
    [4320, 4320], // 30 min from 3 days
    [4349, 4320],
    [43_199, 43_170],
    [43_200, 43_200], // 30 days or more: one last bucket
    [100_000, 43_200],
  ])('%d min falls in the bucket starting at %d min', (minutes, lower) => {
    expect(bucketLower(bucketOf(minutes))).toBe(lower);
  });
});

describe('percentiles', () => {
  it('are the lower edge of the nearest-rank bucket', () => {
    const c = emptyCounters();
    for (const m of [2.0017, 5.5, 61.2]) applyTo(c, reply(m, 2), 1);
    // Nearest rank of 3: median the 2nd (5.5 → [5, 6)), p90 the 3rd (61.2 → [61, 62)).
    expect(responseQuantile(c, 'wall', 0.5)).toBe(5);
    expect(responseQuantile(c, 'clock', 0.9)).toBe(61);
    expect(responseQuantile(emptyCounters(), 'wall', 0.5)).toBeNull();
  });

  it('read rows of layout 1 as they meant, ranked with layout 2, and take old replies out of layout 1', () => {
    // A row stored under layout 1: bucket 2 is (2, 3] min; bucket 150 is 120 + 30 × 5 = (270, 275] min.
    const old: Counters = { ...emptyCounters(), hist: { 2: 1, 150: 1 }, clockHist: { 2: 1, 150: 1 } };
    expect(bucketOf(2.5, 1)).toBe(2);
    expect(bucketOf(272, 1)).toBe(150);
    applyTo(old, reply(100.4, 2), 1); // layout 2: [100, 101)
    // Ranked by lower edge: 2 (old), 100 (new), 270 (old). Median the 2nd, p90 the 3rd.
    expect(responseQuantile(old, 'wall', 0.5)).toBe(100);
    expect(responseQuantile(old, 'wall', 0.9)).toBe(270);
    // A reply counted before layout 2 (no histLayout) leaves layout 1's bucket when counted again.
    applyTo(old, reply(272), -1);
    expect(old.hist).toEqual({ 2: 1 });
    expect(old.clockHist).toEqual({ 2: 1 });
    expect(responseQuantile(old, 'clock', 0.9)).toBe(100);
  });
});
