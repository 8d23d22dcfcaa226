// Filing a ticket: "new ticket" or a message that describes a problem opens the form, prefilled and
// with a suggested priority; the submit validates, files once per request id, and confirms.
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { confirmationCard, promiseSentence, type Urgent } from '../../domain/cards/customer/confirmation';
import { ticketFormCard } from '../../domain/cards/customer/form';
import type { AdaptiveCard } from '../../domain/cards/types';
import { checkTicketFields, LIMITS, submittedText, type FieldError } from '../../domain/tickets/fields';
import type { Ticket } from '../../domain/tickets/model';
import { describesProblem, suggestPriority, titleFrom } from '../../domain/tickets/suggest';
import { roundStart } from '../../domain/tickets/sla-view';
import { clockFor, customerOf, notCustomerText, sendCard, type BotDeps, type Customer } from './deps';
import { messageText } from './teams';
import {
  attachLater,
  carriedFiles,
  carryFiles,
  filesOfMessage,
  type AttachDeps,
  type Sorted,
} from './attachments';
import { names } from '../../domain/cards/customer/files';

/** What this feature uses of the app's parts. */
export type FilingDeps = Pick<
  BotDeps,
  'config' | 'contact' | 'engine' | 'log' | 'now' | 'oncall' | 'paging' | 'policy' | 'settings' | 'tickets'
> &
  AttachDeps;

/** The most text past the description that the form carries to the timeline (the card must fit a Teams message). */
export const REST_IN_FORM = 12_000;

/**
 * Text cut into pieces of at most `max` characters, at a space or line break near the end when there is one.
 * Only the whitespace at a cut is dropped.
 * @example pieces('aaa bbb', 4) // ['aaa', 'bbb']
 */
export function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let left = text.trim();
  while (left.length > max) {
    const space = Math.max(left.lastIndexOf(' ', max), left.lastIndexOf('\n', max));
    const cut = space > max * 0.9 ? space : max;
    out.push(left.slice(0, cut).trimEnd());
    left = left.slice(cut).trimStart();
  }
  if (left !== '') out.push(left);
  return out;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The form for a message: empty for "new ticket", prefilled and with a suggestion for a description. A message
 * longer than the description is never cut silently: the customer is told, and the rest rides in the form to be
 * added to the timeline once filed (or, too long for a card, they are asked to send it after filing).
 */
export function formFor(
  deps: FilingDeps,
  message: string,
  files: Sorted = NO_FILES,
  related?: Pick<Ticket, 'id' | 'title' | 'category' | 'priority'>,
): AdaptiveCard {
  const requestId = randomUUID();
  const carried = files.fetch.length > 0 ? carryFiles(files.fetch) : undefined;
  const told = filesNotice(files);
  if (related !== undefined)
    return ticketFormCard({
      policy: deps.policy,
      requestId,
      values: {
        title: titleFrom(`Follow-up to ${related.id}: ${related.title}`, LIMITS.title),
        description: message.trim().slice(0, LIMITS.description),
        category: related.category,
        priority: related.priority,
      },
      errors: {},
      relatedTo: related.id,
      notice: told === '' ? undefined : told,
      files: carried,
    });
  if (message.trim() === '')
    return ticketFormCard({
      policy: deps.policy,
      requestId,
      values: {},
      errors: {},
      notice: told === '' ? undefined : told,
      files: carried,
    });
  const suggestion = suggestPriority(deps.policy, message);
  const text = message.trim();
  const [head = '', ...tail] = pieces(text, LIMITS.description);
  const rest = tail.join('\n');
  const max = count(LIMITS.description);
  const notice =
    rest === ''
      ? undefined
      : rest.length <= REST_IN_FORM
        ? `Your message is ${count(text.length)} characters; the description holds ${max}. The description has the first ${count(head.length)}, and the remaining ${count(rest.length)} will be added to the ticket's timeline when you file it.`
        : `Your message is ${count(text.length)} characters; the description holds ${max}, and the form can carry only ${count(REST_IN_FORM)} more. The description has the first ${count(head.length)}; after filing, please send the rest as "TM-…: …" messages of up to ${count(LIMITS.message)} characters each.`;
  return ticketFormCard({
    policy: deps.policy,
    requestId,
    values: {
      title: titleFrom(message, LIMITS.title),
      description: head,
      category: suggestion.category,
      priority: suggestion.priority,
    },
    errors: {},
    suggestion: { priority: suggestion.priority, reason: suggestion.reason },
    notice: [notice ?? '', told].filter((t) => t !== '').join(' ') || undefined,
    rest: rest.length <= REST_IN_FORM ? rest : '',
    files: carried,
  });
}

const NO_FILES: Sorted = { fetch: [], refused: [] };

/** What the form says about the files of the message that opened it: attached once filed, or refused now. */
function filesNotice(files: Sorted): string {
  const parts: string[] = [];
  if (files.fetch.length > 0)
    parts.push(
      `${names(files.fetch.map((f) => f.name))} will be attached to the ticket when you file it. To add ${files.fetch.length === 1 ? 'it' : 'them'} to a ticket you already have, send ${files.fetch.length === 1 ? 'it' : 'them'} with the ticket's number instead, for example TM-1042: here is the log.`,
    );
  for (const r of files.refused) parts.push(r.sentence);
  return parts.join(' ');
}

/** Adds what did not fit the description to the new ticket's timeline, as the customer's messages, once each. */
async function addRest(
  deps: FilingDeps,
  customer: Customer,
  id: string,
  requestId: string,
  rest: string,
): Promise<void> {
  const { caller } = customer;
  const actor = { id: caller.aadObjectId ?? caller.userId, name: caller.name, role: 'customer' as const };
  const parts = pieces(rest, LIMITS.message);
  for (const [i, part] of parts.entries()) {
    const acted = await deps.tickets.act(
      { kind: 'tenant', tenantId: caller.tenantId },
      id,
      actor,
      { kind: 'customer-message', text: part },
      { actionId: `${requestId.slice(0, 80)}:rest:${i}` },
    );
    if (!acted.ok) {
      deps.log.warn('could not add the rest of a long message to its ticket', {
        ticket: id,
        error: acted.error.message,
      });
      return;
    }
  }
}

/** The old ticket's timeline notes the follow-up filed about it (staff see it; it changes no deadline). */
async function noteFollowUp(deps: FilingDeps, oldId: string, ticket: Ticket, by: string): Promise<void> {
  const noted = await deps.tickets.act(
    { kind: 'tenant', tenantId: ticket.tenantId },
    oldId,
    { id: 'sla-desk', name: 'SLA Desk', role: 'system' },
    {
      kind: 'record',
      type: 'follow-up-filed',
      text: `${by} filed ${ticket.id} as a follow-up: ${ticket.title}`,
      data: { ticketId: ticket.id },
    },
    { actionId: `follow-up:${ticket.id}` },
  );
  if (!noted.ok)
    deps.log.warn('could not note a follow-up on the old ticket', {
      ticket: oldId,
      error: noted.error.message,
    });
}

const submitSchema = z.object({
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/),
  title: submittedText(LIMITS.title),
  description: submittedText(LIMITS.description),
  category: z.string().max(40).optional(),
  priority: z.string().max(10).optional(),
  affectedUsers: z.union([z.string().max(20), z.number()]).optional(),
  callbackNumber: submittedText(LIMITS.callback),
  /** What did not fit the description, carried by the form to the timeline. */
  rest: z.string().max(REST_IN_FORM).optional(),
  /** The resolved ticket this one follows up (offered when it could not be reopened). */
  relatedTo: z
    .string()
    .regex(/^[A-Za-z]{1,8}-\d{1,10}$/)
    .optional(),
  /** The files of the message that opened the form (JSON), attached once filed. */
  files: z.string().max(60_000).optional(),
});

/** The domain's problems with the fields, as the texts the form shows beside them. */
const hintsOf = (errors: readonly FieldError[]): Record<string, string> =>
  Object.fromEntries(errors.map((e) => [e.field, e.hint]));

/**
 * What happens now to a ticket that pages (policy \`pagePriorities\`, dispatched outside support hours): the
 * watcher pages the primary on call when there is one, else it alarms the support managers in the support
 * channel (none set: nobody is paged or alerted, and the customer is asked to call).
 */
export async function urgentOf(deps: FilingDeps, ticket: Ticket): Promise<Urgent | undefined> {
  // Filed, or reopened (a new round pages like a new ticket): what counts is when the current round began.
  const since = roundStart(ticket).at;
  const pages =
    deps.policy.escalation.pagePriorities.includes(ticket.priority) &&
    !deps.engine.calendar.inSupportHours(since);
  if (!pages) return undefined;
  if (!deps.paging) return { kind: 'unreachable', phone: deps.contact.phone };
  // Pages and alarms are posted in the support channel: without one, nobody is paged or alerted. Both reads
  // side by side: neither needs the other.
  const [channel, primary] = await Promise.all([
    deps.settings.supportChannel(),
    deps.oncall.who('primary', since),
  ]);
  if (channel === null) return { kind: 'unreachable', phone: deps.contact.phone };
  if (primary !== undefined) return { kind: 'paged' };
  return { kind: 'nobody', alerted: true, phone: deps.contact.phone };
}

async function submit(
  context: TurnContext,
  deps: FilingDeps,
  customer: Customer,
  data: unknown,
): Promise<AdaptiveCard | string> {
  const parsed = submitSchema.safeParse(data);
  if (!parsed.success) return 'That form could not be read. Please type "new ticket" to start again.';
  const { requestId, rest = '', relatedTo: related, files: carried, ...values } = parsed.data;
  const relatedTo = related?.toUpperCase();
  // The form came back from the client: its files' links are checked again like a new message's.
  const files = carriedFiles(deps, carried);
  const checked = checkTicketFields(values);
  const again = (errs: Record<string, string>): AdaptiveCard =>
    ticketFormCard({
      policy: deps.policy,
      requestId,
      values,
      errors: errs,
      rest,
      relatedTo,
      files: carried,
      notice:
        rest === ''
          ? undefined
          : `${count(rest.length)} more characters of your message will be added to the ticket's timeline when you file it.`,
    });
  if (!checked.ok) return again(hintsOf(checked.errors));
  const fields = checked.value;
  const { caller } = customer;
  // The linked ticket must be the caller's organisation's (another tenant's id reads as a missing one).
  if (relatedTo !== undefined) {
    const old = await deps.tickets.get({ kind: 'tenant', tenantId: caller.tenantId }, relatedTo);
    if (!old.ok)
      return again({
        form:
          old.error.code === 'TICKET_NOT_FOUND'
            ? `No ticket ${relatedTo} was found for your organisation, so nothing was filed.`
            : 'Could not save your ticket right now, so nothing was filed. Please try again.',
      });
  }
  // The confirmation replaces the form: a reply to that message is about this ticket.
  const formMessage = context.activity.replyToId;
  const filed = await deps.tickets.file(
    {
      requestId: `${caller.tenantId.slice(0, 36)}:${requestId}`.slice(0, 100),
      tenantId: caller.tenantId,
      customerName: customer.customerName,
      requester: { id: caller.aadObjectId ?? caller.userId, name: caller.name, timeZone: caller.zone },
      ...fields,
      ...(relatedTo === undefined ? {} : { relatedTo }),
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
  if (created && rest !== '') await addRest(deps, customer, ticket.id, requestId, rest);
  if (created && relatedTo !== undefined) await noteFollowUp(deps, relatedTo, ticket, caller.name);
  // Filed once per request: a second submit of the same form fetches nothing again.
  if (created)
    attachLater(
      deps,
      {
        tenantId: caller.tenantId,
        ticketId: ticket.id,
        actor: { id: caller.aadObjectId ?? caller.userId, name: caller.name, role: 'customer' },
        chat: { conversationId: caller.conversationId, serviceUrl: caller.serviceUrl, userId: caller.userId },
      },
      files.fetch,
    );
  const fetching =
    created && files.fetch.length > 0
      ? ` Fetching ${names(files.fetch.map((f) => f.name))} from Teams; you will get a message here once ${files.fetch.length === 1 ? 'it is' : 'they are'} attached.`
      : '';
  const now = deps.now();
  const clock = clockFor(caller, deps);
  return confirmationCard({
    policy: deps.policy,
    ticket,
    sentence:
      promiseSentence(
        deps.policy,
        ticket,
        deps.engine.calendar.inSupportHours(now),
        deps.engine.calendar.nextOpening(now),
        clock,
        await urgentOf(deps, ticket),
      ) + fetching,
    clock,
    userId: caller.userId,
  });
}

export function register(app: Application, deps: FilingDeps): void {
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
    await sendCard(context, formFor(deps, rest, filesOfMessage(deps, context.activity)));
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

/**
 * For the catch-all message route: opens the form when a message describes a problem or carries files (which
 * the form takes to the new ticket).
 */
export async function offerForm(
  context: TurnContext,
  deps: FilingDeps,
  message: string,
  files: Sorted = NO_FILES,
): Promise<boolean> {
  const some = files.fetch.length + files.refused.length > 0;
  if (!some && !describesProblem(deps.policy, message)) return false;
  await sendCard(context, formFor(deps, message, files));
  return true;
}
