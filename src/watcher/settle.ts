// Once a ticket's page is acknowledged or the ticket resolved, its page cards and "nobody reached" alarms in
// the channels lose their Acknowledge button and say why (updated in place). 1:1 page cards are not: their
// ids are not kept. Scheduled by `settleEntry` from a ticket change, sent through the outbox like a page.
import { pageCard } from '../domain/cards/page';
import type { AdaptiveCard } from '../domain/cards/types';
import { alarmCard } from '../domain/cards/watch';
import type { Instant } from '../domain/sla';
import type { Change } from '../domain/tickets/command-types';
import type { Ticket, ThreadRef } from '../domain/tickets/model';
import { pageTriggers } from '../domain/tickets/sla-view';
import { managersLane, type NewEntry, type OutboxEntry } from '../adapters/storage/outbox';
import { alarmView } from './alarms';
import type { Done, Holder } from './chain';
import type { Sender } from './sender';

/** The entry that settles a ticket's page posts after this change, or none when it settles nothing. */
export function settleEntry(change: Change, now: Instant): NewEntry | undefined {
  const { ticket, events } = change;
  if (!ticket.notified.some((k) => k.startsWith('paged:'))) return undefined;
  const e = events.find((x) => x.type === 'page-acknowledged' || x.type === 'resolved');
  if (e === undefined) return undefined;
  const why =
    e.type === 'resolved'
      ? `Resolved by ${e.actor.name}: nobody needs to acknowledge.`
      : e.text?.startsWith('Acknowledged by') === true
        ? `${e.text}.`
        : `Page acknowledged: ${e.text ?? e.actor.name}.`;
  return {
    lane: ticket.id,
    key: `u|${ticket.version}`,
    kind: 'settle',
    tenantId: ticket.tenantId,
    order: now,
    payload: { why },
  };
}

/** Updates the page cards and alarms the ticket's chains posted in the channels; says how many. */
export async function settle(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const why = String(holder.entry.payload['why']);
  const thread = ticket.thread;
  const steps = s.app.policy.escalation.chain.length;
  let updated = 0;
  const tenantId = (await s.app.settings.supportChannel())?.tenantId ?? '';
  const update = async (ref: ThreadRef, card: AdaptiveCard): Promise<void> => {
    try {
      await s.tenantRun(tenantId, () => s.app.teams.updateCard(ref, card, `${ticket.id}: settled`));
      updated++;
    } catch (err) {
      // A post someone deleted has no button left to remove.
      if (!s.app.teams.isGone(err)) throw err;
    }
  };
  for (const p of pageTriggers(s.app.engine, ticket).filter((x) => x.kind === 'page')) {
    for (let i = 0; i < steps; i++) {
      const entry = await s.outbox.get(ticket.id, `p|${p.at}|${i}`);
      const id = entry?.progress['thread'];
      const to = entry?.progress['to'];
      if (thread === undefined || id === undefined || id === '-' || to === undefined) continue;
      const who = { id: to, name: entry?.progress['name'] ?? '' };
      await update({ ...thread, activityId: id }, pageCard(s.app, ticket, who, why));
    }
    for (const end of ['', '|end']) {
      const alarm = await s.outbox.get(ticket.id, `z|${p.at}${end}`);
      const id = alarm?.progress['reply'];
      if (thread !== undefined && alarm !== null && id !== undefined && id !== '')
        await update({ ...thread, activityId: id }, alarmCard(settled(s, ticket, alarm, 'thread', why)));
      const post = await s.outbox.get(managersLane(ticket.id), `A|${p.at}${end}`);
      const at = post?.progress;
      if (post === null || at?.['post'] === undefined) continue;
      const ref = {
        conversationId: at['conversation'] ?? '',
        activityId: at['post'],
        serviceUrl: at['service'] ?? '',
      };
      const where = at['where'] === 'managers' ? 'managers' : 'support';
      await update(ref, alarmCard(settled(s, ticket, post, where, why)));
    }
  }
  return { outcome: `sent: ${updated} card(s) updated` };
}

function settled(
  s: Sender,
  ticket: Ticket,
  entry: OutboxEntry,
  where: 'thread' | 'managers' | 'support',
  why: string,
) {
  return { ...alarmView(s, ticket, entry, where), settled: why };
}
