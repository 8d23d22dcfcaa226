// P1 outside support hours: the on-call engineer is paged at once, in the ticket's thread with an
// @mention and an Acknowledge button, and in a 1:1 chat. (The 15/30-minute escalation to the secondary
// and the manager is the deadline watcher's job.)
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { when } from '../cards/time';
import { card, escape, execute, text, type AdaptiveCard } from '../cards/types';
import { onCallAt } from '../oncall/roster';
import type { Ticket, TicketEvent } from '../tickets/model';
import type { BotDeps } from './deps';
import { callerOf } from './teams';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

/** True when this change makes a ticket page: filed, or raised to, a paging priority outside support hours. */
export function needsPage(deps: BotDeps, ticket: Ticket, events: readonly TicketEvent[]): boolean {
  if (deps.config.rotation === undefined || !deps.policy.escalation.pagePriorities.includes(ticket.priority))
    return false;
  return events.some(
    (e) =>
      (e.type === 'created' || (e.type === 'priority-changed' && e.data?.['to'] === ticket.priority)) &&
      !deps.engine.calendar.inSupportHours(e.at),
  );
}

export function pageCard(
  deps: BotDeps,
  ticket: Ticket,
  engineer: { id: string; name: string },
  acknowledged?: string,
): AdaptiveCard {
  const mention = `<at>${escape(engineer.name)}</at>`;
  return card(
    [
      text(`🔔 ${ticket.id} · ${ticket.priority} outside support hours`, {
        weight: 'bolder',
        size: 'medium',
        color: 'attention',
      }),
      text(`${mention}, you are on call: ${escape(ticket.customerName)} reports "${escape(ticket.title)}".`),
      text(
        ticket.sla.responseDue === null
          ? 'The response clock is paused.'
          : `Response due ${when(ticket.sla.responseDue, deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}.`,
        { isSubtle: true },
      ),
      ...(acknowledged === undefined
        ? []
        : [text(escape(acknowledged), { color: 'good', weight: 'bolder' })]),
    ],
    {
      actions:
        acknowledged === undefined
          ? [execute('Acknowledge', 'page.ack', { ticketId: ticket.id }, { style: 'positive' })]
          : [],
      msteams: {
        entities: [{ type: 'mention', text: mention, mentioned: { id: engineer.id, name: engineer.name } }],
      },
    },
  );
}

/** Pages the primary on call for this ticket; records it in the timeline. */
export async function page(deps: BotDeps, ticket: Ticket): Promise<void> {
  const rotation = deps.config.rotation;
  const channel = await deps.settings.supportChannel();
  if (rotation === undefined || channel === null || ticket.thread === undefined) return;
  const { primary } = onCallAt(rotation, deps.now(), deps.policy.timeZone);
  const name = deps.config.staff.engineers.get(primary) ?? deps.config.staff.managers.get(primary) ?? primary;
  const engineer = { id: primary, name };
  const c = pageCard(deps, ticket, engineer);
  await deps.outbound.replyInThread(ticket.thread, c, `${ticket.id}: page`);
  await deps.outbound.toUser(channel.tenantId, channel.serviceUrl, primary, c, `${ticket.id}: page`);
  await deps.tickets.act({ kind: 'staff' }, ticket.id, SYSTEM, {
    kind: 'record',
    type: 'page-sent',
    text: `Paged ${name} (primary on call)`,
    data: { step: 'primary', to: primary },
  });
}

export function registerPaging(app: Application, deps: BotDeps): void {
  app.adaptiveCards.actionExecute('page.ack', async (context, _state, data) => {
    const caller = callerOf(context.activity);
    const staff = await deps.staff.resolve(caller);
    const parsed = z.object({ ticketId: z.string().regex(/^[A-Za-z]{1,8}-\d{1,10}$/) }).safeParse(data);
    if (staff === undefined) {
      await deps.audit.record({
        at: deps.now(),
        action: 'page.ack',
        outcome: 'refused',
        reason: 'not support staff',
        tenantId: caller?.tenantId,
        userId: caller?.aadObjectId ?? caller?.userId,
        target: parsed.success ? parsed.data.ticketId : undefined,
      });
      return 'Only support staff can do that.';
    }
    if (!parsed.success) return 'This page is not valid any more.';
    const actor = { id: staff.caller.aadObjectId ?? staff.caller.userId, name: staff.name, role: staff.role };
    const acked = await deps.tickets.act(
      { kind: 'staff' },
      parsed.data.ticketId.toUpperCase(),
      actor,
      {
        kind: 'record',
        type: 'page-acknowledged',
        text: `Acknowledged by ${staff.name}`,
        data: { by: staff.caller.aadObjectId ?? staff.caller.userId },
      },
      { actionId: context.activity.id },
    );
    if (!acked.ok) return acked.error.message;
    const at = `${when(deps.now(), deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}`;
    return pageCard(
      deps,
      acked.value.ticket,
      { id: staff.caller.aadObjectId ?? '', name: staff.name },
      `Acknowledged by ${staff.name}, ${at}`,
    );
  });
}
