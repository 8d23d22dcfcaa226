// Messages the bot starts itself (proactive): new threads in the support channel, card updates in place,
// thread replies, and deliveries to a customer's chat. Each retries transient failures with backoff.
import {
  CardFactory,
  MessageFactory,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { AdaptiveCard } from '../../domain/cards/types';
import type { SupportChannel } from '../storage/settings';
import type { ChatRef, ThreadRef } from '../../domain/tickets/model';
import { RateLimiter, statusOf } from '../../watcher/limits';
import type { BotAdapter } from './adapter';

/** True when Teams no longer has the activity (deleted, or lost). */
export function isGone(err: unknown): boolean {
  const s = statusOf(err);
  return s === 404 || s === 410;
}

/** The error code and message Teams sent with a failure (`ConversationNotFound`, "User not found"…). */
function errorTextOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as { message?: unknown; code?: unknown; body?: unknown; response?: { bodyAsText?: unknown } };
  const parts = [e.code, e.message, e.response?.bodyAsText].filter((p) => typeof p === 'string');
  return parts.join(' ');
}

/** Why a person's 1:1 chat can never be reached, as a stable code for logs (see `unreachable`). */
export type UnreachableCode = 'NOT_INSTALLED' | 'BLOCKED' | 'CHAT_GONE' | 'FORBIDDEN';

const UNREACHABLE: Readonly<Record<UnreachableCode, string>> = {
  NOT_INSTALLED: 'SLA Desk is not installed for them',
  BLOCKED: 'SLA Desk is blocked or turned off for them',
  CHAT_GONE: 'the chat no longer exists (SLA Desk was removed or the chat deleted)',
  FORBIDDEN: 'Teams refused the message (403: not allowed)',
};

/**
 * Why a person cannot be reached in a 1:1 chat at all, when Teams' answer says so for good: the user never
 * installed the app (or removed it), the chat is gone, or the bot is blocked or turned off for them.
 * Undefined for failures worth trying again (throttling, Teams failing, no answer).
 * @example unreachableCode({ statusCode: 404, code: 'ConversationNotFound' }) // 'CHAT_GONE'
 */
export function unreachableCode(err: unknown): UnreachableCode | undefined {
  const s = statusOf(err);
  const t = errorTextOf(err);
  if (
    /user not found|member ?not ?found|not part of the conversation roster|BotNotInConversationRoster/i.test(
      t,
    )
  )
    return 'NOT_INSTALLED';
  if (/blocked|BotDisabledByAdmin|disabled by (the )?admin|bot is disabled/i.test(t)) return 'BLOCKED';
  if (s === 404 || s === 410 || /conversation ?not ?found/i.test(t)) return 'CHAT_GONE';
  if (s === 403) return 'FORBIDDEN';
  return undefined;
}

/**
 * `unreachableCode` in words for a person.
 * @example unreachable({ statusCode: 404, code: 'ConversationNotFound' }) // 'the chat no longer exists (SLA Desk was removed or the chat deleted)'
 */
export function unreachable(err: unknown): string | undefined {
  const code = unreachableCode(err);
  return code === undefined ? undefined : UNREACHABLE[code];
}

/**
 * Teams' answer to a failed send, in a few words for a person.
 * @example failureText({ statusCode: 503 }) // 'Teams answered 503'
 */
export function failureText(err: unknown): string {
  const s = statusOf(err);
  if (s !== undefined) return `Teams answered ${s}`;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `no answer from Teams (${code})` : 'no answer from Teams';
}

/** Told when a delivery failed and will be tried again: the error, the attempt (0 first), real ms so far. */
export type RetryListener = (err: unknown, attempt: number, elapsedMs: number) => Promise<void> | void;

/** Throttled (429), Teams busy or failing (408, 5xx), or no answer at all (the connection failed or timed out). */
export function isTransient(err: unknown): boolean {
  const s = statusOf(err);
  if (s !== undefined) return s === 408 || s === 429 || s >= 500;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return (
    e.name === 'RestError' ||
    e.name === 'AbortError' ||
    (typeof e.code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR_\w+|REQUEST_SEND_ERROR)$/.test(e.code))
  );
}

/** The Retry-After Teams sent with a failure, in ms. */
function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (name: string) => string | undefined } } } | null)
    ?.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** How long background deliveries keep trying through a Teams outage (after the SDK's own quick retries). */
export interface Patience {
  /** First wait; doubles per attempt up to capMs (a Retry-After, if longer, wins). */
  readonly baseMs: number;
  readonly capMs: number;
  /** Give up (the failure is logged) after trying for this long. */
  readonly maxMs: number;
}

/**
 * Sends per conversation per second from one instance. Teams allows 7 per second per thread for the bot as a
 * whole; with this, two instances together stay within it (each send counted until it ends, so however the
 * requests bunch up on the way, no second at Teams holds more than 3 from one instance).
 */
const PER_SECOND = 3;

export const DEFAULT_PATIENCE: Patience = { baseMs: 1_000, capMs: 30_000, maxMs: 15 * 60_000 };

export class Outbound {
  private closed = false;
  private readonly sleepers = new Set<() => void>();
  /** Sends per conversation (Teams counts per thread; a thread's conversation id names it). */
  private readonly limit = new RateLimiter([{ limit: PER_SECOND, ms: 1_000 }]);

  constructor(
    private readonly adapter: BotAdapter,
    private readonly appId: string,
    private readonly patience: Patience = DEFAULT_PATIENCE,
  ) {}

  /**
   * Runs a delivery, and runs it again while Teams answers 429, 5xx or not at all, backing off (honouring
   * Retry-After) for up to `patience.maxMs`; any other failure, or `close()`, ends it with the last error.
   * For background work only: it may take minutes. `onRetry` hears each failure that will be tried again
   * (attempt 0 is the first, after the SDK's own quick retries); what it throws ends the delivery.
   */
  async patiently<T>(send: () => Promise<T>, onRetry?: RetryListener): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        if (!isTransient(err) || this.closed || Date.now() - started > this.patience.maxMs) throw err;
        await onRetry?.(err, attempt, Date.now() - started);
        const backoff = Math.min(this.patience.capMs, this.patience.baseMs * 2 ** attempt);
        await this.sleep(Math.max(retryAfterOf(err) ?? 0, backoff * (0.5 + Math.random() / 2)));
      }
    }
  }

  /** True once `close()` was called: a delivery that ends now ended because the app is stopping. */
  get closing(): boolean {
    return this.closed;
  }

  /** Stops waiting: deliveries still retrying give up now (the app is stopping). */
  close(): void {
    this.closed = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /**
   * Runs `logic` in a proactive turn, at most PER_SECOND a second in the conversation from this instance.
   * Errors are rethrown here (the adapter's turn-error handler would swallow them).
   */
  private async on(
    ref: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const outcome: { failed: boolean; error: unknown } = { failed: false, error: undefined };
    // Counted from its start to its end: Teams counts the request when it arrives, in between.
    await this.limit.run(ref.conversation?.id ?? '', () =>
      this.adapter.continueConversationAsync(
        this.appId,
        { channelId: 'msteams', bot: { id: `28:${this.appId}`, name: 'SLA Desk' }, ...ref },
        async (context) => {
          try {
            await logic(context);
          } catch (err) {
            outcome.failed = true;
            outcome.error = err;
          }
        },
      ),
    );
    if (outcome.failed) throw outcome.error;
  }

  private static cardActivity(
    card: AdaptiveCard,
    summary: string,
  ): ReturnType<typeof MessageFactory.attachment> {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    activity.summary = summary;
    return activity;
  }

  /** Posts a new thread in the channel with this root card. */
  /** True when Teams says the post is gone (see `isGone`). */
  isGone(err: unknown): boolean {
    return isGone(err);
  }

  /** Why a person's chat can never be reached, or undefined (see `unreachable`). */
  unreachable(err: unknown): string | undefined {
    return unreachable(err);
  }

  /** The same as a code for logs (see `unreachableCode`). */
  unreachableCode(err: unknown): string | undefined {
    return unreachableCode(err);
  }

  async startThread(channel: SupportChannel, card: AdaptiveCard, summary: string): Promise<ThreadRef> {
    let id: string | undefined;
    await this.on(
      {
        serviceUrl: channel.serviceUrl,
        conversation: {
          id: channel.conversationId,
          isGroup: true,
          conversationType: 'channel',
          tenantId: channel.tenantId,
          name: '',
        },
      },
      async (context) => {
        id = (await context.sendActivity(Outbound.cardActivity(card, summary)))?.id;
      },
    );
    if (id === undefined) throw new Error('Teams did not return the new post id');
    return {
      conversationId: `${channel.conversationId};messageid=${id}`,
      activityId: id,
      serviceUrl: channel.serviceUrl,
    };
  }

  /** Replaces a message in any conversation (a pressed card) with this card, for everyone who sees it. */
  async replace(
    reference: Partial<ConversationReference>,
    activityId: string,
    card: AdaptiveCard,
  ): Promise<void> {
    await this.on(reference, async (context) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.id = activityId;
      await context.updateActivity(activity);
    });
  }

  /** Replaces the root card of a thread (throws what Teams answered, e.g. 404 when it lost the post). */
  async updateCard(thread: ThreadRef, card: AdaptiveCard, summary: string): Promise<void> {
    await this.on(
      {
        serviceUrl: thread.serviceUrl,
        conversation: { id: thread.conversationId, isGroup: true, conversationType: 'channel', name: '' },
      },
      async (context) => {
        const activity = Outbound.cardActivity(card, summary);
        activity.id = thread.activityId;
        await context.updateActivity(activity);
      },
    );
  }

  /** Replies in the thread with text or a card; returns the new post's id. */
  async replyInThread(
    thread: ThreadRef,
    message: string | AdaptiveCard,
    summary = '',
  ): Promise<string | undefined> {
    let id: string | undefined;
    await this.on(
      {
        serviceUrl: thread.serviceUrl,
        conversation: { id: thread.conversationId, isGroup: true, conversationType: 'channel', name: '' },
      },
      async (context) => {
        const activity =
          typeof message === 'string'
            ? MessageFactory.text(message)
            : Outbound.cardActivity(message, summary);
        id = (await context.sendActivity(activity))?.id;
      },
    );
    return id;
  }

  /** Opens (or reuses) a 1:1 chat with a staff member by Entra object id and sends a card there. */
  async toUser(
    tenantId: string,
    serviceUrl: string,
    aadObjectId: string,
    card: AdaptiveCard,
    summary: string,
  ): Promise<void> {
    const outcome: { failed: boolean; error: unknown } = { failed: false, error: undefined };
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      serviceUrl,
      'https://api.botframework.com',
      // A 1:1 chat needs no first activity; the SDK's type asks for one regardless.
      {
        isGroup: false,
        bot: { id: `28:${this.appId}`, name: 'SLA Desk' },
        members: [{ id: aadObjectId, name: '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as Partial<ConversationParameters> as ConversationParameters,
      async (context) => {
        try {
          await context.sendActivity(Outbound.cardActivity(card, summary));
        } catch (err) {
          outcome.failed = true;
          outcome.error = err;
        }
      },
    );
    if (outcome.failed) throw outcome.error;
  }

  /** Sends a card to a customer's 1:1 chat with the bot; returns the message id. */
  async toCustomer(chat: ChatRef, card: AdaptiveCard, summary: string): Promise<string | undefined> {
    let id: string | undefined;
    await this.on(
      {
        serviceUrl: chat.serviceUrl,
        conversation: { id: chat.conversationId, isGroup: false, conversationType: 'personal', name: '' },
        user: { id: chat.userId, name: '' },
      },
      async (context) => {
        id = (await context.sendActivity(Outbound.cardActivity(card, summary)))?.id;
      },
    );
    return id;
  }
}
