// Button presses (Action.Execute) are answered at once. teams-ai's AdaptiveCards.actionExecute, for a card with
// `refresh`, first replaces the pressed message through the Bot Connector and only then answers the invoke: a
// slow, throttled or failing Teams then delays or fails every press (after the change was saved, so the person
// is told it failed when it did not), and an invoke without replyToId fails outright. Here the handler's answer
// goes back as the invoke response first; replacing the message for everyone else follows as tracked background
// work, retried by the Bot Connector client and logged if it still fails.
import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { AdaptiveCard } from '../../domain/cards/types';
import type { BotDeps } from './deps';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** Wraps `app.adaptiveCards.actionExecute` so that every verb registered afterwards answers first. */
export function answerActionsFirst(app: Application, deps: Pick<BotDeps, 'background' | 'outbound'>): void {
  const cards = app.adaptiveCards;
  const register = cards.actionExecute.bind(cards);
  const wrapped = (
    verb: Parameters<typeof register>[0],
    handler: (
      context: TurnContext,
      state: TurnState,
      data: Record<string, unknown>,
    ) => Promise<AdaptiveCard | string>,
  ) =>
    register(verb, async (context, state, data) => {
      const result = await handler(context, state, data);
      if (context.turnState.get(INVOKE_RESPONSE_KEY) !== undefined) return result;
      const isCard = typeof result !== 'string';
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: isCard ? CARD : MESSAGE, value: result } },
      });
      const messageId = context.activity.replyToId;
      if (
        typeof result !== 'string' &&
        result.refresh !== undefined &&
        messageId !== undefined &&
        messageId !== ''
      ) {
        const reference = TurnContext.getConversationReference(context.activity);
        const key = `message:${reference.conversation?.id ?? ''}|${messageId}`;
        deps.background.run(key, 'replacing a pressed card for everyone', () =>
          deps.outbound.replace(reference, messageId, result),
        );
      }
      return result;
    });
  cards.actionExecute = wrapped as typeof cards.actionExecute;
}

/**
 * Last route: an invoke nothing else handled (a card from an older version, an unknown verb, an invoke name this
 * app does not use) gets a client error instead of the SDK's 501: Universal Actions get Teams' error response,
 * which shows the person what to do; other invokes get 400.
 */
export function refuseUnknownInvokes(app: Application): void {
  app.activity(ActivityTypes.Invoke, async (context) => {
    const universal = context.activity.name === 'adaptiveCard/action';
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: universal
        ? {
            status: 200,
            body: {
              statusCode: 400,
              type: 'application/vnd.microsoft.error',
              value: {
                code: 'BadRequest',
                message: 'This card is out of date. Please ask the bot for a fresh one.',
              },
            },
          }
        : { status: 400, body: { error: 'unsupported invoke' } },
    });
  });
}
