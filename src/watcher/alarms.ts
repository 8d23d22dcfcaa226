// When a P1's page reaches nobody: the loud alarm in the ticket's thread and in the managers' channel (once per
// trigger, @mentioning the managers and P1 responders), and the notice of a delivery that keeps failing.
import { alarmCard, stuckCard, type AlarmView } from '../domain/cards/watch';
import type { Ticket } from '../domain/tickets/model';
import { managersLane, type NewEntry, type OutboxEntry } from '../adapters/storage/outbox';
import { acknowledged } from '../domain/tickets/paging';
import { keyed, note, type Done, type Holder } from './chain';
import type { Sender } from './sender';
import { NotReady, threadOf } from './sender';
import { addLogContext } from '../log';

/**
 * Raises the alarm for a trigger when nobody has been reached in chat and nobody acknowledged: a loud card in
 * the thread and one in the managers' channel, once when it first happens and once more when the chain's last
 * step has reached nobody either (`final`).
 */
export async function alarmIfNobody(
  s: Sender,
  ticket: Ticket,
  trigger: number,
  final: boolean,
): Promise<void> {
  if (acknowledged(ticket, trigger) || keyed(ticket, 'reached', trigger).length > 0) return;
  const now = s.clock.now();
  const end = final ? '|end' : '';
  const entries: NewEntry[] = [
    {
      lane: ticket.id,
      // `z|`: after a "could not reach" note (`n|`) scheduled at the same instant.
      key: `z|${trigger}${end}`,
      kind: 'alarm',
      tenantId: ticket.tenantId,
      order: now,
      payload: { trigger, final },
    },
    {
      lane: managersLane(ticket.id),
      key: `A|${trigger}${end}`,
      kind: 'managers',
      tenantId: ticket.tenantId,
      order: now,
      payload: { what: 'alarm', trigger, final },
    },
  ];
  await s.outbox.enqueueAll(entries, now);
  s.kick();
}

export function alarmView(
  s: Sender,
  ticket: Ticket,
  entry: OutboxEntry,
  where: AlarmView['where'],
): AlarmView {
  const trigger = Number(entry.payload['trigger']);
  return {
    final: entry.payload['final'] === true,
    policy: s.app.policy,
    ticket,
    missed: keyed(ticket, 'missed', trigger),
    reached: keyed(ticket, 'reached', trigger),
    alarmed: s.app.oncall.alarmed(),
    now: s.clock.now(),
    where,
  };
}

/** The alarm in the ticket's thread: nobody has been reached. Recorded on the timeline with who was alarmed. */
export async function alarm(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const trigger = Number(holder.entry.payload['trigger']);
  if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
  const thread = threadOf(ticket);
  const view = alarmView(s, ticket, holder.entry, 'thread');
  s.guard(holder.entry);
  const id = await s.post(ticket, () =>
    s.app.teams.replyInThread(thread, alarmCard(view), `${ticket.id}: nobody reached`),
  );
  s.log.warn('page: nobody reached; alarm posted in the thread', { trigger, final: view.final });
  const names = view.alarmed.map((a) => a.name).join(', ');
  await note(
    s,
    ticket,
    'paging-alarm',
    `Nobody reached in chat${view.final ? ' by the whole on-call chain' : ''} (${view.missed.join('; ') || 'no one to page'}). Alarm posted in the thread${names === '' ? '' : ` for ${names}`}.`,
    `alarm:${trigger}${view.final ? ':end' : ''}`,
  );
  return { outcome: 'sent', progress: { reply: id } };
}

/** A post in the managers' channel (else the support channel): the alarm, or a delivery that keeps failing. */
export async function managers(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const app = s.app;
  const p = holder.entry.payload;
  const managersChannel = await app.settings.managersChannel();
  const channel = managersChannel ?? (await app.settings.supportChannel());
  if (channel === null) throw new NotReady('no managers channel and no support channel');
  const where = managersChannel === null ? 'support' : 'managers';
  let card;
  if (p['what'] === 'alarm') {
    const trigger = Number(p['trigger']);
    if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
    card = alarmCard(alarmView(s, ticket, holder.entry, where));
  } else {
    card = stuckCard(JSON.parse(String(p['lines'] ?? '[]')) as string[], String(p['title'] ?? ''));
  }
  addLogContext({ conversation: channel.conversationId });
  s.guard(holder.entry);
  const posted = await s.tenantRun(channel.tenantId, () =>
    app.teams.startThread(
      channel,
      card,
      p['what'] === 'alarm' ? `${ticket.id}: nobody reached (managers)` : `${ticket.id}: delivery stuck`,
    ),
  );
  if (p['what'] === 'alarm') {
    s.log.warn(`page: nobody reached; alarm posted in the ${where} channel`, {
      trigger: Number(p['trigger']),
      final: p['final'] === true,
    });
    await note(
      s,
      ticket,
      'paging-alarm',
      where === 'managers'
        ? `Alarm posted in the managers' channel${channel.channelName === '' ? '' : ` (${channel.channelName})`}.`
        : "Alarm posted on its own in the support channel (no managers' channel is set).",
      `alarm-managers:${String(p['trigger'])}${p['final'] === true ? ':end' : ''}`,
    );
  }
  // Where the post is, so that it can lose its Acknowledge button once nobody needs it (settle.ts).
  const at = { post: posted.activityId, conversation: posted.conversationId, service: posted.serviceUrl };
  return { outcome: 'sent', progress: { ...at, where } };
}

/** Once an entry has failed OUTBOX_STUCK_ATTEMPTS times: a post in the managers' channel saying what to do. */
export async function announceStuck(
  s: Sender,
  entry: OutboxEntry,
  ticketId: string,
  error: string,
): Promise<void> {
  if (entry.kind === 'managers') return;
  const now = s.clock.now();
  const what: Readonly<Record<string, string>> = {
    warning: 'a deadline warning for its thread',
    page: 'a P1 page in its thread',
    announce: 'the P1 announcement in its thread',
    direct: 'a P1 page to an engineer’s chat',
    notice: 'a note in its thread',
    alarm: 'the “nobody reached” alarm in its thread',
    settle: 'the update that removes Acknowledge from its page cards',
  };
  await s.outbox.enqueue(
    {
      lane: managersLane(ticketId),
      key: `S|${entry.lane}|${entry.key}`,
      kind: 'managers',
      tenantId: entry.tenantId,
      order: now,
      payload: {
        what: 'stuck',
        title: `⚠️ ${ticketId}: a message has failed ${entry.attempts} times`,
        lines: JSON.stringify([
          `SLA Desk could not deliver ${what[entry.kind] ?? 'a message'} (last error: ${error.slice(0, 200)}).`,
          'It is still being retried. Check the Teams service health and that SLA Desk is still installed in the support team; say "stuck deliveries" to the bot for the full list.',
        ]),
      },
    },
    now,
  );
  s.kick();
}
