// Rate limits: in-memory token buckets per user, per tenant and (for failed sign-ins) per client address. Each
// instance counts alone, so N instances let through up to N times a limit. Memory is bounded: idle buckets
// (full again) are dropped as others are used, and the map never holds more than `maxKeys` of a kind.

export interface RateLimits {
  /** Length of the window the limits are counted over, ms (buckets refill over it). */
  readonly windowMs: number;
  /** Requests one user may make in a window (the burst); 0 = no limit. */
  readonly user: number;
  /** Requests one tenant's users together may make in a window; 0 = no limit. */
  readonly tenant: number;
  /** Failed sign-ins one client address may make in a window; 0 = no limit. */
  readonly client: number;
}

/** Buckets kept per kind at most; the least recently used go first. */
export const MAX_BUCKETS = 20_000;

export type Verdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Whole seconds until one more request is allowed (at least 1). */
      readonly retryAfterS: number;
      readonly scope: 'user' | 'tenant' | 'client';
      /** True for the first refusal of this bucket in a window: record it, tell the person; later ones stay quiet. */
      readonly first: boolean;
    };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, ms. */
  at: number;
  /** When a refusal was last reported, ms. */
  reportedAt: number;
}

/** Token buckets of one kind: `capacity` requests per `windowMs`, refilled continuously. */
export class Buckets {
  private readonly map = new Map<string, Bucket>();

  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    private readonly maxKeys: number = MAX_BUCKETS,
  ) {}

  /** Buckets held (for tests: memory stays bounded). */
  get size(): number {
    return this.map.size;
  }

  /** The bucket of `key` brought up to `now`, made most recently used. */
  private bucket(key: string, now: number): Bucket {
    this.sweep(now);
    let b = this.map.get(key);
    if (b === undefined) {
      b = { tokens: this.capacity, at: now, reportedAt: -Infinity };
      while (this.map.size >= this.maxKeys) this.drop();
    } else {
      this.map.delete(key);
      b.tokens = Math.min(
        this.capacity,
        b.tokens + (Math.max(0, now - b.at) * this.capacity) / this.windowMs,
      );
      b.at = now;
    }
    this.map.set(key, b);
    return b;
  }

  private drop(): void {
    const oldest = this.map.keys().next();
    if (oldest.done !== true) this.map.delete(oldest.value);
  }

  /** Drops up to two least recently used buckets that have been idle a whole window (full again: nothing lost). */
  private sweep(now: number): void {
    for (let i = 0; i < 2; i++) {
      const first = this.map.values().next();
      if (first.done === true || now - first.value.at < this.windowMs) return;
      this.drop();
    }
  }

  /** Whether `key` has a request left, without taking it. */
  has(key: string, now: number): boolean {
    return this.bucket(key, now).tokens >= 1;
  }

  take(key: string, now: number): void {
    this.bucket(key, now).tokens -= 1;
  }

  /** The refusal for `key`: when to retry, and whether it is the first of its window. */
  refusal(key: string, now: number, scope: 'user' | 'tenant' | 'client'): Verdict {
    const b = this.bucket(key, now);
    const first = now - b.reportedAt >= this.windowMs;
    if (first) b.reportedAt = now;
    const waitMs = ((1 - b.tokens) * this.windowMs) / this.capacity;
    // Whole milliseconds first: 0.3 of a 10 s window is 3000.0000000000005 ms, which must read 3 s, not 4.
    return { ok: false, retryAfterS: Math.max(1, Math.ceil(Math.round(waitMs) / 1000)), scope, first };
  }
}

/** The limits of one surface (the bot, the tab API), on the real clock. */
export class RateLimiter {
  private readonly users: Buckets | undefined;
  private readonly tenants: Buckets | undefined;
  private readonly clients: Buckets | undefined;

  constructor(
    limits: RateLimits,
    private readonly clock: () => number = Date.now,
    maxKeys: number = MAX_BUCKETS,
  ) {
    const of = (n: number) => (n > 0 ? new Buckets(n, limits.windowMs, maxKeys) : undefined);
    this.users = of(limits.user);
    this.tenants = of(limits.tenant);
    this.clients = of(limits.client);
  }

  /** Takes one request of an authenticated user; refused (nothing taken) when the user or the tenant is out. */
  take(tenantId: string, userId: string): Verdict {
    const now = this.clock();
    const user = `${tenantId}|${userId}`;
    if (this.users?.has(user, now) === false) return this.users.refusal(user, now, 'user');
    if (this.tenants?.has(tenantId, now) === false) return this.tenants.refusal(tenantId, now, 'tenant');
    this.users?.take(user, now);
    this.tenants?.take(tenantId, now);
    return { ok: true };
  }

  /** Whether a client address may still try to sign in (checked before the token is). */
  client(address: string): Verdict {
    const now = this.clock();
    if (this.clients?.has(address, now) === false) return this.clients.refusal(address, now, 'client');
    return { ok: true };
  }

  /** Counts a failed sign-in of a client address. */
  failed(address: string): void {
    this.clients?.take(address, this.clock());
  }
}

/**
 * The address a request came from: the socket's peer, or behind Azure App Service's front end (production, where
 * the app is reachable only through it) the last X-Forwarded-For entry, the one that front end added, without the
 * port it appends (`203.0.113.9:51234`, `[2001:db8::1]:51234`).
 */
export function clientAddress(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  peer: string | undefined,
  behindProxy: boolean,
): string {
  const xff = headers['x-forwarded-for'];
  const text = Array.isArray(xff) ? xff.join(',') : xff;
  if (behindProxy && text !== undefined) {
    const last = (text.split(',').pop() ?? '').trim();
    const bare =
      /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(last)?.[1] ?? /^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? last;
    if (bare !== '') return bare.slice(0, 64);
  }
  return peer ?? 'unknown';
}
