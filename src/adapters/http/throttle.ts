// What a throttled request gets, on the bot and on the tab API: no storage work, at most one `throttled` audit
// row per bucket per window, and (bot) at most one short message per window telling the person to slow down.
// Takes the turn as a small structural type so that the Teams SDK stays in adapters/teams and adapters/bot.
import type { AuditLog } from '../storage/audit';
import type { Logger } from '../../log';
import { messageOf } from '../../domain/kit/errors';
import { RateLimiter, type RateLimits, type Verdict } from './rate-limit';

/**
 * A wait in words, cut to what it says: "1 second", "10 seconds", "2 minutes" (a wait of a minute or more reads
 * in whole minutes, rounded up, so trying again then is never too early).
 * @example waitText(90) // '2 minutes'
 */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * What the person is told, at most once a window, when the bot refuses their activities: the verdict's own wait.
 * @example slowDown(10) // "You're sending messages faster than I can take them; try again in 10 seconds."
 */
export function slowDown(retryAfterS: number): string {
  return `You're sending messages faster than I can take them; try again in ${waitText(retryAfterS)}.`;
}

/** The parts of a turn the bot's throttle reads and answers through. */
export interface ThrottledTurn {
  readonly activity: {
    readonly type: string;
    readonly name?: string | undefined;
    readonly from?: { readonly id?: string; readonly aadObjectId?: string | undefined } | undefined;
    readonly conversation?: { readonly tenantId?: string | undefined } | undefined;
    readonly channelData?: unknown;
  };
  sendActivity(activity: string | Record<string, unknown>): Promise<unknown>;
}

export interface ThrottleDeps {
  readonly limits: RateLimits;
  readonly audit: AuditLog;
  readonly log: Logger;
  /** The app clock, for audit rows. */
  readonly now: () => number;
  /** Real time, for the buckets (default Date.now). */
  readonly clock?: () => number;
}

/** The tenant an activity names (channelData.tenant.id, else conversation.tenantId), lower-case. */
function tenantOf(a: ThrottledTurn['activity']): string {
  const data = a.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = typeof data?.tenant?.id === 'string' ? data.tenant.id : a.conversation?.tenantId;
  return (id ?? '').toLowerCase().slice(0, 64);
}

/** Rate limits of one surface ("bot" or "api") with their audit rows and, for the bot, the person's notice. */
export class Throttle {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly surface: 'bot' | 'api',
    private readonly deps: ThrottleDeps,
  ) {
    this.limiter = new RateLimiter(deps.limits, deps.clock);
  }

  /** Takes one request of an authenticated user; a refusal is recorded once per window. */
  async user(tenantId: string, userId: string): Promise<Verdict> {
    const v = this.limiter.take(tenantId, userId);
    if (!v.ok && v.first) await this.record(v.scope, tenantId, userId);
    return v;
  }

  /** Whether a client address may still try a token (checked before it is). */
  async client(address: string): Promise<Verdict> {
    const v = this.limiter.client(address);
    if (!v.ok && v.first) await this.record('client', '', '', address);
    return v;
  }

  /** Counts a refused token of a client address. */
  failed(address: string): void {
    this.limiter.failed(address);
  }

  /**
   * The bot's check, after the activity is authenticated. A refused invoke gets a 429 invoke response (Universal
   * Actions in Teams' error shape); the person gets `slowDown` once per window.
   */
  async turn(context: ThrottledTurn): Promise<Verdict> {
    const a = context.activity;
    const userId = (a.from?.aadObjectId ?? a.from?.id ?? '').toLowerCase().slice(0, 128);
    const v = await this.user(tenantOf(a), userId);
    if (v.ok) return v;
    const told = slowDown(v.retryAfterS);
    try {
      if (v.first && (a.type === 'message' || a.type === 'invoke')) await context.sendActivity(told);
      if (a.type === 'invoke')
        await context.sendActivity({
          type: 'invokeResponse',
          value: {
            status: 429,
            body:
              a.name === 'adaptiveCard/action'
                ? {
                    statusCode: 429,
                    type: 'application/vnd.microsoft.error',
                    value: { code: 'TooManyRequests', message: told },
                  }
                : { error: 'too many requests' },
          },
        });
    } catch (err) {
      this.deps.log.warn('could not tell a throttled person to slow down', { error: messageOf(err) });
    }
    return v;
  }

  private async record(scope: string, tenantId: string, userId: string, target?: string): Promise<void> {
    this.deps.log.warn(`${this.surface}: rate limit reached`, { scope, tenant: tenantId, userId });
    try {
      await this.deps.audit.record({
        at: this.deps.now(),
        action: `${this.surface}.throttled`,
        outcome: 'refused',
        reason: `over the ${scope} rate limit (${this.describe(scope)}); further requests in this window are refused without a record`,
        tenantId,
        userId,
        target,
      });
    } catch (err) {
      this.deps.log.warn('could not record a throttled request', { error: messageOf(err) });
    }
  }

  private describe(scope: string): string {
    const { limits } = this.deps;
    const n = scope === 'user' ? limits.user : scope === 'tenant' ? limits.tenant : limits.client;
    return `${n} per ${Math.round(limits.windowMs / 1000)} s per instance`;
  }
}

/** The body and headers of an HTTP 429 answer. */
export function tooMany(v: Verdict & { ok: false }): {
  readonly headers: Record<string, string>;
  readonly body: { error: { code: string; message: string } };
} {
  return {
    headers: { 'retry-after': String(v.retryAfterS), 'cache-control': 'no-store' },
    body: {
      error: {
        code: 'TOO_MANY_REQUESTS',
        message: `Too many requests; try again in ${v.retryAfterS} second${v.retryAfterS === 1 ? '' : 's'}.`,
      },
    },
  };
}
