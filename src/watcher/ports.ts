// What the watcher needs from the rest of the app: Teams through a port (src/teams/outbound.ts implements it),
// and the app's parts it reads or records through.
import type { AdaptiveCard } from '../domain/cards/types';
import type { Config } from '../config';
import type { OnCallLookup } from '../domain/oncall/who';
import type { CoreParts } from '../parts';
import type { SupportChannel } from '../adapters/storage/settings';
import type { ThreadRef } from '../domain/tickets/model';

/** Sending to Teams: posts, replies and card updates in channels, and 1:1 chats with staff. */
export interface TeamsPort {
  /** Posts a card as a new thread; the thread it started. */
  startThread(channel: SupportChannel, card: AdaptiveCard, summary: string): Promise<ThreadRef>;
  /** Replies in a thread; the new post's id. */
  replyInThread(
    thread: ThreadRef,
    message: string | AdaptiveCard,
    summary?: string,
  ): Promise<string | undefined>;
  /** Replaces a thread's root card in place. */
  updateCard(thread: ThreadRef, card: AdaptiveCard, summary: string): Promise<void>;
  /** Sends a card in a staff member's 1:1 chat with the bot. */
  toUser(
    tenantId: string,
    serviceUrl: string,
    aadObjectId: string,
    card: AdaptiveCard,
    summary: string,
  ): Promise<void>;
  /** True when Teams says the post is gone (deleted, or its conversation is). */
  isGone(err: unknown): boolean;
  /** Why a person's chat can never be reached (not installed, blocked, …), or undefined for a passing failure. */
  unreachable(err: unknown): string | undefined;
  /** The same as a stable code for logs (`NOT_INSTALLED`, `BLOCKED`, …). */
  unreachableCode(err: unknown): string | undefined;
}

/** The app's parts the watcher works with. */
export interface WatcherApp extends CoreParts {
  readonly config: Pick<Config, 'watcher' | 'staff' | 'oncall'>;
  /** Who is on call (rotation, overrides, the support manager). */
  readonly oncall: OnCallLookup;
  readonly teams: TeamsPort;
}
