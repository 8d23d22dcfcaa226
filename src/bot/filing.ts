// Filing a ticket: "new ticket" or a message that describes a problem opens the form, prefilled and
// with a suggested priority; the submit validates, files once per request id, and confirms.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { confirmationCard, promiseSentence, ticketFormCard, type FormValues } from '../cards/customer';
import type { AdaptiveCard } from '../cards/types';
import { LIMITS } from '../tickets/commands';
import { CATEGORIES } from '../tickets/model';
import { describesProblem, suggestPriority, titleFrom } from '../tickets/suggest';
import { clockFor, customerOf, notCustomerText, sendCard, type BotDeps, type Customer } from './deps';
import { messageText } from './teams';

/** The form for a message: empty for "new ticket", prefilled and with a suggestion for a description. */
export function formFor(deps: BotDeps, message: string): AdaptiveCard {
  const requestId = randomUUID();
  if (message.trim() === '')
    return ticketFormCard({ policy: deps.policy, requestId, values: {}, errors: {} });
  const suggestion = suggestPriority(deps.policy, message);
  return ticketFormCard({
    policy: deps.policy,
    requestId,
    values: {
      title: titleFrom(message, LIMITS.title),
      description: message.slice(0, LIMITS.description),
      category: suggestion.category,
      priority: suggestion.priority,
    },
    errors: {},
    suggestion: { priority: suggestion.priority, reason: suggestion.reason },
  });
}

const field = (max: number) =>
  z
    .string()
    .max(max * 4)
    .optional();
const submitSchema = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  title: field(LIMITS.title),
  description: field(LIMITS.description),
  category: z.string().max(40).optional(),
  priority: z.string().max(10).optional(),
  affectedUsers: z.union([z.string().max(20), z.number()]).optional(),
  callbackNumber: field(LIMITS.callback),
});

function errorsOf(values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if ((values.title ?? '').trim() === '') errors['title'] = 'A short title is required.';
  else if ((values.title ?? '').trim().length > LIMITS.title)
    errors['title'] = `At most ${LIMITS.title} characters.`;
  if ((values.description ?? '').trim() === '') errors['description'] = 'Please describe the problem.';
  else if ((values.description ?? '').trim().length > LIMITS.description)
    errors['description'] = `At most ${LIMITS.description.toLocaleString('en-US')} characters.`;
  if (!CATEGORIES.includes((values.category ?? '') as (typeof CATEGORIES)[number]))
    errors['category'] = 'Pick a category.';
  if (!['P1', 'P2', 'P3'].includes(values.priority ?? '')) errors['priority'] = 'Pick a priority.';
  const affected = values.affectedUsers;
  if (affected !== undefined && affected !== '') {
    const n = Number(affected);
    if (!Number.isInteger(n) || n < 0 || n > 10_000_000)
      errors['affectedUsers'] = 'A whole number from 0 to 10,000,000.';
  }
  return errors;
}

async function submit(
  context: TurnContext,
  deps: BotDeps,
  customer: Customer,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const parsed = submitSchema.safeParse(data);
  if (!parsed.success) return 'That form could not be read. Please type "new ticket" to start again.';
  const { requestId, ...values } = parsed.data;
  const errors = errorsOf(values);
  const again = (errs: Record<string, string>): AdaptiveCard =>
    ticketFormCard({ policy: deps.policy, requestId, values, errors: errs });
  if (Object.keys(errors).length > 0) return again(errors);
  const affected =
    values.affectedUsers === undefined || values.affectedUsers === ''
      ? undefined
      : Number(values.affectedUsers);
  const { caller } = customer;
  // The confirmation replaces the form: a reply to that message is about this ticket.
  const formMessage = context.activity.replyToId;
  const filed = await deps.tickets.file(
    {
      requestId: `${caller.tenantId.slice(0, 36)}:${requestId}`.slice(0, 100),
      tenantId: caller.tenantId,
      customerName: customer.customerName,
      requester: { id: caller.aadObjectId ?? caller.userId, name: caller.name, timeZone: caller.zone },
      title: values.title ?? '',
      description: values.description ?? '',
      category: values.category as (typeof CATEGORIES)[number],
      priority: values.priority as 'P1' | 'P2' | 'P3',
      affectedUsers: affected,
      callbackNumber: values.callbackNumber,
      customerChat: {
        conversationId: caller.conversationId,
        serviceUrl: caller.serviceUrl,
        userId: caller.userId,
      },
    },
    formMessage === undefined || formMessage === ''
      ? {}
      : { message: { conversationId: caller.conversationId, activityId: formMessage } },
  );
  if (!filed.ok) {
    const f = filed.error.details['field'];
    if (filed.error.code === 'INVALID_INPUT' && typeof f === 'string')
      return again({ [f]: filed.error.message });
    deps.log.warn('filing failed', { code: filed.error.code, tenant: caller.tenantId });
    return again({
      form:
        filed.error.code === 'STORAGE_UNAVAILABLE'
          ? 'Could not save your ticket right now, so nothing was filed. Please try again.'
          : filed.error.message,
    });
  }
  const { ticket, created } = filed.value;
  if (created) await deps.changed(ticket, filed.value.events);
  const now = deps.now();
  const open = deps.engine.calendar.inSupportHours(ticket.dispatchedAt);
  const paging =
    deps.paging && deps.policy.escalation.pagePriorities.includes(ticket.priority) && !open && created;
  const clock = clockFor(caller, deps);
  return confirmationCard({
    policy: deps.policy,
    ticket,
    sentence: promiseSentence(
      deps.policy,
      ticket,
      deps.engine.calendar.inSupportHours(now),
      deps.engine.calendar.nextOpening(now),
      clock,
      paging,
    ),
    clock,
    userId: caller.userId,
  });
}

export function register(app: Application, deps: BotDeps): void {
  app.message(/^\s*(new ticket|new|file a ticket|open a ticket|report a problem)\b/i, async (context) => {
    const customer = customerOf(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const rest = messageText(context).replace(
      /^\s*(new ticket|new|file a ticket|open a ticket|report a problem)\b[:,.\s-]*/i,
      '',
    );
    await sendCard(context, formFor(deps, rest));
  });
  app.adaptiveCards.actionExecute('ticket.new', (context) => {
    const customer = customerOf(context, deps);
    return Promise.resolve(customer === undefined ? notCustomerText(deps.contact) : formFor(deps, ''));
  });
  app.adaptiveCards.actionExecute('ticket.submit', async (context, _state, data) => {
    const customer = customerOf(context, deps);
    return customer === undefined ? notCustomerText(deps.contact) : submit(context, deps, customer, data);
  });
}

/** For the catch-all message route: opens the form when a message describes a problem. */
export async function offerForm(context: TurnContext, deps: BotDeps, message: string): Promise<boolean> {
  if (!describesProblem(deps.policy, message)) return false;
  await sendCard(context, formFor(deps, message));
  return true;
}
