// Messages the bot starts itself (proactive): new threads in the support channel, card updates in place,
// thread replies, and deliveries to a customer's chat. Each retries transient failures with backoff.
import {
  CardFactory,
  MessageFactory,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { AdaptiveCard } from '../cards/types';
import type { SupportChannel } from '../storage/settings';
import type { ChatRef, ThreadRef } from '../tickets/model';
import type { BotAdapter } from './adapter';

function statusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number')
    return err.statusCode;
  return undefined;
}

/** True when Teams no longer has the activity (deleted, or lost). */
export function isGone(err: unknown): boolean {
  const s = statusOf(err);
  return s === 404 || s === 410;
}

export class Outbound {
  constructor(
    private readonly adapter: BotAdapter,
    private readonly appId: string,
  ) {}

  /** Runs `logic` in a proactive turn. Errors are rethrown here (the adapter's turn-error handler would swallow them). */
  private async on(
    ref: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const outcome: { failed: boolean; error: unknown } = { failed: false, error: undefined };
    await this.adapter.continueConversationAsync(
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
