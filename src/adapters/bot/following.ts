// Following tickets: "my tickets", "status TM-1042", "TM-1042: …" follow-ups, answers, escalation and
// card refreshes. Every lookup is scoped to the caller's tenant: another tenant's id is "not found".
import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { myTicketsCard } from '../../domain/cards/customer/list';
import { customerTicketCard } from '../../domain/cards/customer/ticket';
import { whenBoth } from '../../domain/cards/time';
import type { AdaptiveCard } from '../../domain/cards/types';
import type { Command } from '../../domain/tickets/commands';
import { LIMITS } from '../../domain/tickets/fields';
import { OPEN_STATUSES, type Actor, type Ticket } from '../../domain/tickets/model';
import { recordRefusedLookup } from '../../domain/tickets/refused';
import type { Scope } from '../../domain/tickets/service';
import {
  repliedTo,
  clockFor,
  customerOf,
  notCustomerText,
  sendCard,
  type BotDeps,
  type Customer,
} from './deps';
import { listItem, targetLines } from '../../domain/cards/targets';
import { offerForm, type FilingDeps } from './filing';
import { threadSyncKey } from '../teams/thread';
import { nobodyReached } from '../../watcher/chain';
import { callerOf, messageText } from './teams';
import { attachLater, filesOfMessage, promiseText, type AttachDeps, type Sorted } from './attachments';

/** What this feature uses of the app's parts. */
export type FollowingDeps = Pick<
  BotDeps,
  | 'audit'
  | 'background'
  | 'config'
  | 'contact'
  | 'engine'
  | 'log'
  | 'messages'
  | 'now'
  | 'policy'
  | 'settings'
  | 'staff'
  | 'tickets'
> &
  FilingDeps &
  AttachDeps;

const ID = /^[A-Za-z]{1,8}-\d{1,10}$/;

export function scopeOf(customer: Customer): Scope {
  return { kind: 'tenant', tenantId: customer.caller.tenantId };
}

export function actorOf(customer: Customer): Actor {
  return {
    id: customer.caller.aadObjectId ?? customer.caller.userId,
    name: customer.caller.name,
    role: 'customer',
  };
}

/**
 * The answer to an id the caller's tenant does not have, recorded in the audit log. A missing id and another
 * tenant's id get the same answer and the same work (one look-up, one audit write), so neither the text nor
 * the time tells them apart; only the audit entry, which staff read, says which it was.
 */
export async function notFound(
  deps: FollowingDeps,
  customer: Customer,
  action: string,
  id: string,
): Promise<string> {
  const { caller } = customer;
  await recordRefusedLookup(
    deps,
    { tenantId: caller.tenantId, userId: caller.aadObjectId ?? caller.userId },
    action,
    id,
  );
  return `No ticket ${id.slice(0, 20)} was found for your organisation.`;
}

export async function ticketCard(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  notice?: string,
  action = 'ticket.show',
): Promise<AdaptiveCard | string> {
  const found = await deps.tickets.timeline(scopeOf(customer), id);
  if (!found.ok)
    return found.error.code === 'TICKET_NOT_FOUND'
      ? notFound(deps, customer, action, id)
      : found.error.message;
  const now = deps.now();
  return customerTicketCard({
    policy: deps.policy,
    alert: unreached(deps, found.value.ticket),
    ticket: found.value.ticket,
    targets: targetLines(deps.engine, found.value.ticket, now),
    events: found.value.events,
    clock: clockFor(customer.caller, deps),
    userId: customer.caller.userId,
    notice,
  });
}

/**
 * A ticket whose page has reached nobody yet (the alarm went out, and no one was reached in chat, acknowledged or
 * answered): the customer is told, with the phone, rather than left with "being paged".
 */
function unreached(deps: FollowingDeps, t: Ticket): string | undefined {
  if (!OPEN_STATUSES.has(t.status) || t.responseMetAt !== undefined || !nobodyReached(t)) return undefined;
  return `We have not reached an on-call engineer yet. For the fastest help call ${deps.contact.phone}.`;
}

async function myTickets(deps: FollowingDeps, customer: Customer): Promise<AdaptiveCard | string> {
  try {
    const open = await deps.tickets.tenantOpen(customer.caller.tenantId);
    const now = deps.now();
    return myTicketsCard(
      deps.policy,
      open.map((t) => listItem(deps.engine, t, now)),
      clockFor(customer.caller, deps),
      customer.caller.userId,
    );
  } catch (err) {
    deps.log.warn('listing failed', { error: String(err) });
    return 'Could not read your tickets right now. Please try again in a moment.';
  }
}

/** How long an escalation waits for its note to reach the ticket's thread before answering without that claim. */
export const ESCALATION_WAIT_MS = 4_000;

/**
 * What the customer is told about an escalation, true in each case: passed on only once its note is in the
 * ticket's thread (the sync finished and the ticket has a thread); recorded, and seen later, otherwise.
 */
async function escalationNotice(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  fresh: boolean,
): Promise<string> {
  const channel = await deps.settings.supportChannel();
  if (channel === null) {
    const now = deps.now();
    const clock = clockFor(customer.caller, deps);
    const opens = deps.engine.calendar.inSupportHours(now)
      ? ''
      : ` (support opens ${whenBoth(deps.engine.calendar.nextOpening(now), deps.policy.timeZone, deps.policy.timeZoneLabel, clock.viewerZone, clock.now)})`;
    return `Your escalation is recorded on ${id}, but it cannot reach the support team automatically right now: for anything urgent call ${deps.contact.phone}. The team will see it when they next open the ticket${opens}.`;
  }
  const synced = fresh ? await deps.background.settled(threadSyncKey(id), ESCALATION_WAIT_MS) : undefined;
  if (synced === true) {
    const now = await deps.tickets.get(scopeOf(customer), id);
    if (now.ok && now.value.thread !== undefined) return 'Escalation passed to the support team.';
  }
  return `Your escalation is recorded on ${id}. The support team will see it in the ticket's thread as soon as Teams delivers it.`;
}

/** Applies a customer command and answers with the ticket card (or why not). */
async function act(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  cmd: Command,
  actionId: string | undefined,
  done: string,
  files?: Sorted,
): Promise<AdaptiveCard | string> {
  const { caller } = customer;
  // A message from the customer's 1:1 chat: their messages are delivered there (again, if it was unreachable).
  const command =
    cmd.kind === 'customer-message' && caller.conversationType === 'personal'
      ? {
          ...cmd,
          chat: {
            conversationId: caller.conversationId,
            serviceUrl: caller.serviceUrl,
            userId: caller.userId,
          },
        }
      : cmd;
  const acted = await deps.tickets.act(scopeOf(customer), id, actorOf(customer), command, { actionId });
  if (!acted.ok) {
    if (acted.error.code === 'TICKET_NOT_FOUND') return notFound(deps, customer, `ticket.${cmd.kind}`, id);
    if (acted.error.code === 'RATE_LIMITED') {
      const next = Number(acted.error.details['nextAllowedAt']);
      if (!Number.isFinite(next)) return acted.error.message;
      const clock = clockFor(customer.caller, deps);
      return `${id} was escalated less than ${deps.policy.escalation.customerCooldownMinutes / 60} hours ago; you can escalate it again from ${whenBoth(next, deps.policy.timeZone, deps.policy.timeZoneLabel, clock.viewerZone, clock.now)}. For anything urgent call ${deps.contact.phone}.`;
    }
    if (
      acted.error.code === 'INVALID_INPUT' &&
      cmd.kind === 'customer-message' &&
      cmd.text.length > LIMITS.message
    )
      return `${acted.error.message} Nothing was added to ${id}; please send it in parts of up to ${LIMITS.message.toLocaleString('en-US')} characters.`;
    return acted.error.message;
  }
  const fresh = !acted.value.duplicate;
  const notice =
    cmd.kind === 'escalate' ? await escalationNotice(deps, customer, acted.value.ticket.id, fresh) : done;
  // A message delivered twice by Teams fetches its files once.
  if (files !== undefined && fresh) return withFiles(deps, customer, acted.value.ticket.id, files, notice);
  return ticketCard(deps, customer, acted.value.ticket.id, notice);
}

/**
 * The files of a message on ticket `id` (its text, if any, recorded already): those refused at once are told
 * now, the rest are downloaded after the answer and the customer gets a message saying which are attached.
 */
async function withFiles(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  files: Sorted,
  done: string,
): Promise<AdaptiveCard | string> {
  const { caller } = customer;
  attachLater(
    deps,
    {
      tenantId: caller.tenantId,
      ticketId: id,
      actor: actorOf(customer),
      chat: { conversationId: caller.conversationId, serviceUrl: caller.serviceUrl, userId: caller.userId },
    },
    files.fetch,
  );
  return ticketCard(deps, customer, id, [done, promiseText(id, files)].filter((t) => t !== '').join(' '));
}

/** A message on ticket `id`: its text added (when there is any) and its files attached. */
async function addToTicket(
  deps: FollowingDeps,
  customer: Customer,
  id: string,
  text: string,
  files: Sorted,
  actionId: string | undefined,
): Promise<AdaptiveCard | string> {
  const some = files.fetch.length + files.refused.length > 0;
  if (text !== '') {
    const result = await act(
      deps,
      customer,
      id,
      { kind: 'customer-message', text },
      actionId,
      'Added to your ticket.',
      some ? files : undefined,
    );
    return typeof result === 'string' && some
      ? `${result} Your files were not attached either: please send them again with the message.`
      : result;
  }
  const found = await deps.tickets.get(scopeOf(customer), id);
  if (!found.ok)
    return found.error.code === 'TICKET_NOT_FOUND'
      ? notFound(deps, customer, 'ticket.attach', id)
      : found.error.message;
  return withFiles(deps, customer, found.value.id, files, '');
}

const withTicket = z.object({ ticketId: z.string().regex(ID) });
// Bounded well past the limits, so that over-long text gets the command's answer that names the limit.
const withMessage = withTicket.extend({
  message: z
    .string()
    .min(1)
    .max(LIMITS.message * 8),
});
const withReason = withTicket.extend({
  reason: z
    .string()
    .min(1)
    .max(LIMITS.message * 8),
});

function gate(context: TurnContext, deps: FollowingDeps): Customer | undefined {
  return customerOf(context, deps);
}

export function register(app: Application, deps: FollowingDeps): void {
  app.message(/^\s*(my tickets|tickets|list|my open tickets)\s*[.!?]?\s*$/i, async (context) => {
    const customer = gate(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const result = await myTickets(deps, customer);
    await (typeof result === 'string' ? context.sendActivity(result) : sendCard(context, result));
  });
  app.message(/^\s*(status|show|ticket)\s+#?[A-Za-z]{1,8}-\d{1,10}\s*$/i, async (context) => {
    const customer = gate(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const id = (/[A-Za-z]{1,8}-\d{1,10}/.exec(messageText(context))?.[0] ?? '').toUpperCase();
    const result = await ticketCard(deps, customer, id, undefined, 'chat.status');
    if (typeof result === 'string') {
      await context.sendActivity(result);
      return;
    }
    const sent = await sendCard(context, result);
    if (sent !== undefined)
      await deps.messages.remember(
        customer.caller.tenantId,
        { conversationId: customer.caller.conversationId, activityId: sent },
        id,
      );
  });
  app.message(/^\s*escalate\s+#?[A-Za-z]{1,8}-\d{1,10}\b/i, async (context) => {
    const customer = gate(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const text = messageText(context);
    const id = (/[A-Za-z]{1,8}-\d{1,10}/.exec(text)?.[0] ?? '').toUpperCase();
    const reason =
      text.replace(/^\s*escalate\s+#?[A-Za-z]{1,8}-\d{1,10}\s*[:,-]?\s*/i, '') ||
      'Escalation requested from chat';
    const result = await act(
      deps,
      customer,
      id,
      { kind: 'escalate', reason },
      context.activity.id,
      'Escalation recorded.',
    );
    await (typeof result === 'string' ? context.sendActivity(result) : sendCard(context, result));
  });
  app.adaptiveCards.actionExecute('tickets.mine', async (context) => {
    const customer = gate(context, deps);
    return customer === undefined ? notCustomerText(deps.contact) : myTickets(deps, customer);
  });
  app.adaptiveCards.actionExecute(['ticket.show', 'ticket.refresh'], async (context, _state, data) => {
    const customer = gate(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = withTicket.safeParse(data);
    if (!parsed.success) return 'That card is not valid any more.';
    return ticketCard(deps, customer, parsed.data.ticketId.toUpperCase(), undefined, 'ticket.show');
  });
  app.adaptiveCards.actionExecute('ticket.answer', async (context, _state, data) => {
    const customer = gate(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = withMessage.safeParse(data);
    if (!parsed.success) return 'Please type a message first.';
    return act(
      deps,
      customer,
      parsed.data.ticketId.toUpperCase(),
      { kind: 'customer-message', text: parsed.data.message },
      context.activity.id,
      'Your message was added.',
    );
  });
  app.adaptiveCards.actionExecute('ticket.escalate', async (context, _state, data) => {
    const customer = gate(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = withTicket.safeParse(data);
    if (!parsed.success) return 'That card is not valid any more.';
    // Without a reason the command still runs: a ticket in its cooldown says so ("Reason is required." else).
    const reason = withReason.safeParse(data);
    return act(
      deps,
      customer,
      parsed.data.ticketId.toUpperCase(),
      { kind: 'escalate', reason: reason.success ? reason.data.reason : '' },
      context.activity.id,
      'Escalation recorded.',
    );
  });
  // "TM-1042: more details" adds to that ticket; anything else that describes a problem opens the form.
  app.activity('message', async (context) => {
    if (
      (await deps.staff.resolve(callerOf(context.activity))) !== undefined ||
      context.activity.conversation.conversationType === 'channel'
    ) {
      await context.sendActivity(
        'Engineers work tickets from their threads in the support channel. In a channel, say **use this channel for support** to make it the support channel.',
      );
      return;
    }
    const customer = gate(context, deps);
    if (customer === undefined) {
      await context.sendActivity(notCustomerText(deps.contact));
      return;
    }
    const text = messageText(context);
    const files = filesOfMessage(deps, context.activity);
    const some = files.fetch.length + files.refused.length > 0;
    const replied = repliedTo(context.activity);
    const about =
      replied === undefined
        ? null
        : await deps.messages.ticketOf(customer.caller.tenantId, {
            conversationId: customer.caller.conversationId,
            activityId: replied,
          });
    if (about !== null && (text !== '' || some)) {
      const result = await addToTicket(deps, customer, about, text, files, context.activity.id);
      await (typeof result === 'string' ? context.sendActivity(result) : sendCard(context, result));
      return;
    }
    // "TM-1042: more details", or with files just "TM-1042".
    const followUp = /^\s*#?([A-Za-z]{1,8}-\d{1,10})\s*(?:[:,-]\s*([\s\S]*))?$/.exec(text);
    const rest = followUp?.[2]?.trim() ?? '';
    if (followUp !== null && (rest !== '' || some)) {
      const id = (followUp[1] ?? '').toUpperCase();
      const result = await addToTicket(deps, customer, id, rest, files, context.activity.id);
      await (typeof result === 'string' ? context.sendActivity(result) : sendCard(context, result));
      return;
    }
    if ((text !== '' || some) && (await offerForm(context, deps, text, files))) return;
    await context.sendActivity(
      'I can file a ticket for you: type **new ticket** or describe the problem. **my tickets** lists yours, **help** shows the support hours and phone line.',
    );
  });
}
