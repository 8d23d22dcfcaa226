// Sending limits and retry timing for the outbox: Teams allows a bot 7 messages a second in one thread
// (and 8 in 2 s, 60 in 30 s); the per-tenant rate is configuration. Retries back off with jitter and
// never come sooner than the service's Retry-After.

/** At most `limit` sends in any `ms` milliseconds. */
export interface Window {
  readonly limit: number;
  readonly ms: number;
}

/** Teams' published per-thread limits for bots. */
export const THREAD_WINDOWS: readonly Window[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
];

/** `rate` sends a second as one sliding window (fractional rates widen the window). */
export function rateWindows(rate: number): Window[] {
  const limit = Math.max(1, Math.floor(rate));
  return [{ limit, ms: Math.ceil((1000 * limit) / rate) }];
}

/** A send as a limiter counts it: when it ended, or still in flight (`at` null). */
interface Counted {
  at: number | null;
}

/** How often a waiter looks again while the sends that fill a window are still in flight. */
const IN_FLIGHT_POLL_MS = 20;

/**
 * Sliding-window limiter per key, in real time. `run` waits until a send is allowed and counts it from its
 * start until it ends, then at its end: the far side counts a request when it arrives, somewhere between, so
 * no window there ever holds more than the limit, however long a request takes on the way (with the start
 * alone counted, a stalled event loop let the sends of two seconds arrive within one).
 */
export class RateLimiter {
  private readonly sent = new Map<string, Counted[]>();
  private span: number;

  constructor(
    private windows: readonly Window[],
    private readonly realNow: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.span = Math.max(...windows.map((w) => w.ms));
  }

  /** Changes the limits (sends already counted still count). */
  setWindows(windows: readonly Window[]): void {
    this.windows = windows;
    this.span = Math.max(...windows.map((w) => w.ms));
  }

  /** Real ms to wait before the next send for `key` is allowed (0: now). */
  wait(key: string): number {
    const now = this.realNow();
    const kept = (this.sent.get(key) ?? []).filter((c) => c.at === null || now - c.at < this.span);
    this.sent.set(key, kept);
    // A send in flight counts as now: in every window.
    const times = kept.map((c) => ({ t: c.at ?? now, flying: c.at === null })).sort((a, b) => a.t - b.t);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((x) => now - x.t < w.ms);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit];
        // Filled by sends still in flight: look again soon (one may end any moment).
        const ms = oldest === undefined || oldest.flying ? IN_FLIGHT_POLL_MS : oldest.t + w.ms - now;
        wait = Math.max(wait, ms);
      }
    }
    return wait;
  }

  /** Waits until a send for `key` is allowed, then runs it, counted while it runs and at its end. */
  async run<T>(key: string, send: () => Promise<T>): Promise<T> {
    const counted = await this.admit(key);
    try {
      return await send();
    } finally {
      counted.at = this.realNow();
    }
  }

  /** Waits until a send for `key` is allowed; counts it as in flight from now. */
  private async admit(key: string): Promise<Counted> {
    for (;;) {
      const wait = this.wait(key);
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    const counted: Counted = { at: null };
    const list = this.sent.get(key) ?? [];
    list.push(counted);
    this.sent.set(key, list);
    if (this.sent.size > 10_000) {
      const now = this.realNow();
      for (const [k, v] of this.sent)
        if (v.every((c) => c.at !== null && now - c.at >= this.span)) this.sent.delete(k);
    }
    return counted;
  }
}

/** Statuses worth retrying soon: throttled, conflict, bad gateway, unavailable, gateway timeout. */
export const RETRYABLE: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

/** The HTTP status an SDK error carries, if any. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.statusCode, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/** Retry-After of an SDK error, in ms (seconds or an HTTP date), if the service sent one. */
export function retryAfterMs(err: unknown, realNow: number = Date.now()): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const headers = (err as { response?: { headers?: unknown } }).response?.headers;
  let value: unknown;
  if (typeof headers === 'object' && headers !== null) {
    const h = headers as { get?: (name: string) => unknown } & Record<string, unknown>;
    value = typeof h.get === 'function' ? h.get('retry-after') : (h['retry-after'] ?? h['Retry-After']);
  }
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - realNow);
}

/**
 * Real ms before attempt `attempts + 1`: exponential with full jitter over its upper half, at least Retry-After.
 * Retryable statuses start at 1 s and cap at 1 min; anything else starts at 5 s and caps at 5 min.
 * @example backoffMs(3, 429, 10_000, () => 0) // 10000 (Retry-After wins over 2 s)
 */
export function backoffMs(
  attempts: number,
  status: number | undefined,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number {
  const soon = status === undefined || RETRYABLE.has(status);
  const base = soon ? 1_000 : 5_000;
  const cap = soon ? 60_000 : 300_000;
  const exp = Math.min(cap, base * 2 ** Math.max(0, Math.min(20, attempts - 1)));
  const jittered = exp / 2 + (random() * exp) / 2;
  return Math.max(retryAfter ?? 0, Math.round(jittered));
}
