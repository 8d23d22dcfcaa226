// What support sends the customer about a ticket's event (a reply, a question, a fix…), and which events
// the customer is told about at all.
import type { Policy } from '../../policy/schema';
import { PRIORITIES, type Instant } from '../../sla';
import type { Ticket, TicketEvent } from '../../tickets/model';
import { LIMITS } from '../../tickets/fields';
import { showCard, textInput } from '../inputs';
import { card, escape, execute, text, type Action, type AdaptiveCard, type Element } from '../types';
import { reopenDeadline } from '../../tickets/rounds';
import { answerAction, at, due, type Clock } from './common';
import { carriedFileLines } from './files';

const TO_CUSTOMER: Partial<Record<TicketEvent['type'], string>> = {
  'engineer-reply': 'Support replied',
  'info-requested': 'Support needs information',
  'workaround-delivered': 'Work-around',
  'fix-recorded': 'Permanent fix',
  resolved: 'Resolved',
  reopened: 'Reopened',
  'priority-changed': 'Priority changed',
};

/**
 * True for events the customer is told about in their chat: a notice (not of their own acts: the bot answers
 * those), or the rating card (asked once).
 */
export function isForCustomer(e: TicketEvent): boolean {
  return (
    e.type === 'rating-asked' ||
    (!e.internal && TO_CUSTOMER[e.type] !== undefined && e.actor.role !== 'customer')
  );
}

/**
 * The resolution's Reopen button: a short form asking why the fix did not hold. After the policy's window the
 * bot answers with the offer of a new ticket linked to this one.
 */
export function reopenAction(t: Pick<Ticket, 'id'>): Action {
  return showCard(
    'Reopen',
    [
      textInput('reason', 'Why did it not hold?', LIMITS.reason, {
        multiline: true,
        required: 'Please say why it did not hold',
      }),
    ],
    execute('Reopen', 'ticket.reopen', { ticketId: t.id }),
  );
}

/** A message from support to the customer about one event: what happened and how to answer. */
export function customerNoticeCard(
  policy: Policy,
  ticket: Ticket,
  e: TicketEvent,
  clock: Clock,
  /** The Teams app's id, for links to the files the message carries (none without it). */
  appId?: string,
): AdaptiveCard {
  const title = `${TO_CUSTOMER[e.type] ?? 'Update'} · ${ticket.id}`;
  const lines: Element[] = [
    text(title, { weight: 'bolder', size: 'medium' }),
    text(escape(ticket.title), { isSubtle: true, spacing: 'none' }),
  ];
  if (e.type === 'fix-recorded')
    lines.push(text(`The fix will be in release ${escape(String(e.data?.['release'] ?? ''))}.`));
  const files = carriedFileLines(ticket, e, appId);
  // The reply's own "Files: …" line (attachments/plan.ts withFiles) is shown as the linked list instead.
  const said = files.length > 0 ? e.text?.replace(/(?:^|\n\n)Files: [^\n]*$/, '') : e.text;
  if (e.type === 'priority-changed') {
    // The reason is on the customer's own timeline too (not internal), so it is told here in full.
    const from = e.data?.['from'];
    const to = PRIORITIES.find((p) => p === e.data?.['to']) ?? ticket.priority;
    const change = typeof from === 'string' ? `from ${escape(from)} to ${to}` : `to ${to}`;
    const name = policy.priorities[to].name;
    lines.push(
      text(
        `Priority changed ${change} (${name})${e.text === undefined ? '' : `: ${escape(e.text.replace(/[.!]+$/, ''))}`}.`,
      ),
    );
  } else if (e.type === 'reopened')
    lines.push(
      text(
        `${ticket.id} was reopened by ${e.actor.role === 'customer' ? escape(e.actor.name) : 'support'}${e.text === undefined ? '' : `: ${escape(e.text.replace(/[.!]+$/, ''))}`}. We'll get back to you.`,
      ),
    );
  else if (e.type === 'resolved') lines.push(...resolvedLines(policy, ticket, e, said, clock));
  else if (said !== undefined && said !== '') lines.push(text(escape(said)));
  lines.push(...files);
  const stopped = e.type === 'info-requested' ? pausedClocks(ticket, e.at) : '';
  if (stopped !== '')
    lines.push(
      text(`The ${stopped} ${stopped.endsWith('s') ? 'are' : 'is'} paused until you answer.`, {
        isSubtle: true,
        size: 'small',
      }),
    );
  if (ticket.sla.nextDeadline !== null && e.type !== 'resolved') {
    lines.push(
      text(`Next deadline: ${due(policy, ticket.sla.nextDeadline, clock)}.`, {
        isSubtle: true,
        size: 'small',
      }),
    );
  }
  const open = ticket.status !== 'resolved' && ticket.status !== 'closed';
  return card(lines, {
    actions: [
      ...(open ? [answerAction(ticket, e.type === 'info-requested' ? 'Answer' : 'Reply')] : []),
      ...(e.type === 'resolved' && !open ? [reopenAction(ticket)] : []),
      execute('Show ticket', 'ticket.show', { ticketId: ticket.id }),
    ],
  });
}

/** The resolution: that it was resolved, the note when there is one, and until when it can be reopened. */
function resolvedLines(
  policy: Policy,
  ticket: Ticket,
  e: TicketEvent,
  note: string | undefined,
  clock: Clock,
): Element[] {
  const until = reopenDeadline(policy, { resolvedAt: e.at });
  return [
    text(`${ticket.id} was resolved.`),
    ...(note === undefined || note === '' ? [] : [text(escape(note))]),
    ...(until === undefined || clock.now > until
      ? []
      : [text(`If the fix does not hold, you can reopen it until ${at(policy, until, clock)}.`)]),
  ];
}

/**
 * The targets whose clocks ran until a pause that started at `start`: those not met by then.
 * @example "response and work-around clocks", "work-around clock"
 */
export function pausedClocks(
  ticket: Pick<Ticket, 'responseMetAt' | 'workaroundMetAt'>,
  start: Instant,
): string {
  const running = [
    ...(ticket.responseMetAt === undefined || ticket.responseMetAt > start ? ['response'] : []),
    ...(ticket.workaroundMetAt === undefined || ticket.workaroundMetAt > start ? ['work-around'] : []),
  ];
  return running.length === 0 ? '' : `${running.join(' and ')} clock${running.length > 1 ? 's' : ''}`;
}
