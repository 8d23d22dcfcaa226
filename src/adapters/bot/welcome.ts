// On install and on "help": the welcome card, or the polite refusal for tenants that are not customers.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { welcomeCard } from '../../domain/cards/customer/welcome';
import type { AdaptiveCard } from '../../domain/cards/types';
import { clockFor, customerOf, notCustomerText, sendCard, type BotDeps, type Customer } from './deps';

/** What this feature uses of the app's parts. */
export type WelcomeDeps = Pick<BotDeps, 'config' | 'contact' | 'engine' | 'log' | 'now' | 'policy'>;

export function welcomeFor(deps: WelcomeDeps, customer: Customer): AdaptiveCard {
  const now = deps.now();
  return welcomeCard({
    policy: deps.policy,
    contact: deps.contact,
    open: deps.engine.calendar.inSupportHours(now),
    nextOpening: deps.engine.calendar.nextOpening(now),
    clock: clockFor(customer.caller, deps),
    customerName: customer.customerName,
  });
}

async function welcome(context: TurnContext, deps: WelcomeDeps): Promise<void> {
  const customer = customerOf(context, deps);
  if (customer === undefined) {
    await context.sendActivity(notCustomerText(deps.contact));
    return;
  }
  await sendCard(context, welcomeFor(deps, customer));
}

export function register(app: Application, deps: WelcomeDeps): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    if (context.activity.conversation.conversationType !== 'personal') return;
    if (added.some((m) => m.id === botId)) await welcome(context, deps);
  });
  app.message(/^\s*(help|hi|hello|start|menu|\?)\s*[.!]?\s*$/i, async (context) => {
    await welcome(context, deps);
  });
  app.adaptiveCards.actionExecute('help', (context) => {
    const customer = customerOf(context, deps);
    return Promise.resolve(
      customer === undefined ? notCustomerText(deps.contact) : welcomeFor(deps, customer),
    );
  });
}
