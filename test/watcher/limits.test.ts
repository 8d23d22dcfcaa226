// Sending limits and retry timing: Teams' per-thread windows, a per-tenant rate, backoff with jitter that never
// comes before Retry-After, and the statuses worth retrying soon.
import {
  backoffMs,
  RateLimiter,
  rateWindows,
  retryAfterMs,
  RETRYABLE,
  statusOf,
  THREAD_WINDOWS,
  type Window,
} from '../../src/watcher/limits';
import { simulatedClock } from '../../src/watcher/clock';

/**
 * A limiter on a clock of its own that moves only when the limiter sleeps (`yields`: each sleep also lets
 * timers and other work run, so sends in flight can end meanwhile).
 */
function simulated(
  windows: readonly Window[],
  yields = false,
): { limiter: RateLimiter; clock: { now: number } } {
  const clock = { now: 0 };
  const limiter = new RateLimiter(
    windows,
    () => clock.now,
    (ms) => {
      clock.now += ms;
      return yields ? new Promise((r) => setTimeout(r, 0)) : Promise.resolve();
    },
  );
  return { limiter, clock };
}

describe('rate limits', () => {
  it('at most 7 sends in a second and 8 in two seconds in one thread; other threads are independent', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      THREAD_WINDOWS,
      () => now,
      (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    );
    const times: number[] = [];
    for (let i = 0; i < 16; i++) {
      await limiter.run('thread-a', () => Promise.resolve());
      times.push(now);
    }
    for (let i = 7; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 7] ?? 0)).toBeGreaterThanOrEqual(1000);
    for (let i = 8; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 8] ?? 0)).toBeGreaterThanOrEqual(2000);
    const before = now;
    await limiter.run('thread-b', () => Promise.resolve());
    expect(now).toBe(before);
  });

  it('run counts a send while it is in flight and then at its end, so slow requests cannot bunch up', async () => {
    const { limiter, clock } = simulated([{ limit: 2, ms: 1000 }]);
    // Two sends start at 0 and are on the way for 900 ms (a stalled event loop, a slow network).
    const starts: number[] = [];
    const ends: number[] = [];
    const slow = (): Promise<void> => {
      starts.push(clock.now);
      clock.now += 900;
      ends.push(clock.now);
      return Promise.resolve();
    };
    await limiter.run('thread-a', slow);
    await limiter.run('thread-a', slow);
    // Counting the starts alone would let the third go at 1000, and it could arrive within a second of both.
    await limiter.run('thread-a', () => {
      starts.push(clock.now);
      return Promise.resolve();
    });
    expect(starts[2]).toBeGreaterThanOrEqual((ends[0] ?? 0) + 1000);
  });

  it('sends in flight fill the window until they end', async () => {
    const { limiter, clock } = simulated([{ limit: 2, ms: 1000 }], true);
    const releases: (() => void)[] = [];
    const hang = (): Promise<void> => new Promise<void>((r) => releases.push(r));
    const flying = [limiter.run('thread-b', hang), limiter.run('thread-b', hang)];
    let third: number | undefined;
    const waiting = limiter.run('thread-b', () => {
      third = clock.now;
      return Promise.resolve();
    });
    // However long they hang (here 5 s of the limiter's time), the third waits.
    while (clock.now < 5000) await new Promise((r) => setTimeout(r, 0));
    expect(third).toBeUndefined();
    const ended = clock.now;
    for (const release of releases) release();
    await Promise.all(flying);
    await waiting;
    // It goes a second after the first of them ended (counted at its end), not at once.
    expect(third).toBeGreaterThanOrEqual(ended + 1000);
  });

  it('a send that fails still counts', async () => {
    const { limiter, clock } = simulated([{ limit: 1, ms: 1000 }]);
    await expect(
      limiter.run('t', () => {
        clock.now += 100;
        return Promise.reject(new Error('429'));
      }),
    ).rejects.toThrow('429');
    await limiter.run('t', () => Promise.resolve());
    expect(clock.now).toBeGreaterThanOrEqual(1100);
  });

  it('a fractional tenant rate becomes a wider window', () => {
    expect(rateWindows(20)).toEqual([{ limit: 20, ms: 1000 }]);
    expect(rateWindows(0.5)).toEqual([{ limit: 1, ms: 2000 }]);
  });
});

describe('retries', () => {
  it('retries 412, 429, 502, 503 and 504 soon', () => {
    expect([...RETRYABLE].sort()).toEqual([412, 429, 502, 503, 504]);
  });

  it('backs off exponentially with jitter in the upper half, capped, never before Retry-After', () => {
    expect(backoffMs(1, 503, undefined, () => 0)).toBe(500);
    expect(backoffMs(1, 503, undefined, () => 1)).toBe(1000);
    expect(backoffMs(4, 503, undefined, () => 1)).toBe(8000);
    expect(backoffMs(30, 503, undefined, () => 1)).toBe(60_000);
    expect(backoffMs(2, 429, 10_000, () => 0)).toBe(10_000);
    expect(backoffMs(1, 400, undefined, () => 1)).toBe(5000);
    expect(backoffMs(30, 400, undefined, () => 1)).toBe(300_000);
  });

  it('reads the status and Retry-After (seconds or a date) from an SDK error', () => {
    const headers = new Map([['retry-after', '3']]);
    const err = {
      statusCode: 429,
      response: { status: 429, headers: { get: (n: string) => headers.get(n) } },
    };
    expect(statusOf(err)).toBe(429);
    expect(retryAfterMs(err)).toBe(3000);
    const dated = { response: { headers: { 'retry-after': new Date(10_000).toUTCString() } } };
    expect(retryAfterMs(dated, 4_000)).toBe(6000);
    expect(retryAfterMs(new Error('x'))).toBeUndefined();
    expect(statusOf('nope')).toBeUndefined();
  });
});

describe('the simulated clock', () => {
  it('shows the start at the anchor and runs `speed` times faster', () => {
    let real = 1_000;
    const clock = simulatedClock(
      { start: Date.parse('2026-11-27T21:30:00-05:00'), speed: 60, anchor: 1_000 },
      () => real,
    );
    expect(clock.now()).toBe(Date.parse('2026-11-27T21:30:00-05:00'));
    real += 60_000;
    expect(clock.now()).toBe(Date.parse('2026-11-27T22:30:00-05:00'));
    expect(clock.speed).toBe(60);
  });
});
