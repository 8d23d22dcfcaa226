// What the outbox sends for a P1's paging: each step of the chain in the ticket's thread (with the @mention),
// its 1:1 chat message in a lane of its own (a failing chat never holds back the thread or the next step),
// what could not be reached said in the thread, and an alarm to the managers when nobody has been reached.
// Every timeline line says what happened: who was paged, reached, not reached, and why.
import { pageCard } from '../bot/paging';
import { unreachable } from '../bot/outbound';
import { alarmCard, chatFailedCard, announceCard, stuckCard, type Mentioned } from '../cards/watch';
import { stamp } from '../cards/time';
import type { RecordType } from '../tickets/commands';
import type { Ticket } from '../tickets/model';
import type { ChainRole } from '../oncall/who';
import { chatLane, managersLane, type NewEntry, type OutboxEntry, type Progress } from '../storage/outbox';
import type { Sender } from './sender';
import { NotReady } from './sender';
import { statusOf } from './limits';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

export type Done = { readonly outcome: string; readonly progress?: Progress };
type Holder = { entry: OutboxEntry };

const ROLE: Readonly<Record<ChainRole, string>> = {
  primary: 'primary on call',
  secondary: 'secondary on call',
  manager: 'support manager',
};

function roleOf(entry: OutboxEntry): ChainRole {
  const r = String(entry.payload['role']);
  return r === 'secondary' || r === 'manager' ? r : 'primary';
}

function acknowledged(ticket: Ticket, trigger: number): boolean {
  return ticket.notified.some((k) => k.startsWith('ack:') && Number(k.slice(4)) >= trigger);
}

/** Keys on the ticket: who a page reached in chat, and who it did not (with why), per trigger. */
const reachedKey = (trigger: number, step: number, name: string): string =>
  `reached:${trigger}:${step}:${name}`;
const missedKey = (trigger: number, step: number, line: string): string =>
  `missed:${trigger}:${step}:${line}`;

function keyed(ticket: Ticket, prefix: string, trigger: number): string[] {
  const head = `${prefix}:${trigger}:`;
  return ticket.notified
    .filter((k) => k.startsWith(head))
    .map((k) => k.slice(head.length).replace(/^\d+:/, ''));
}

/** Records a line on the ticket's timeline once (by key) and tells the listeners. */
async function note(
  s: Sender,
  ticket: Ticket,
  type: RecordType,
  text: string,
  key: string,
  data: Readonly<Record<string, string | number | boolean | null>> = {},
): Promise<Ticket> {
  const recorded = await s.bot.tickets.act(
    { kind: 'staff' },
    ticket.id,
    SYSTEM,
    { kind: 'record', type, text, data: { ...data, key } },
    { actionId: `${type}:${ticket.id}:${key}`.slice(0, 200) },
  );
  if (!recorded.ok) throw new Error(recorded.error.message);
  if (!recorded.value.duplicate) await s.bot.changed(recorded.value.ticket, recorded.value.events);
  return recorded.value.ticket;
}

/** When the next step of the chain goes out, in words ("the secondary on call is paged at 21:45 ET"). */
function nextStep(s: Sender, ticket: Ticket, trigger: number, step: number): string {
  const chain = s.bot.policy.escalation.chain;
  const next = chain[step + 1];
  if (next === undefined) return 'This was the last step of the paging chain.';
  const at = trigger + next.afterMinutes * 60_000;
  const zone = s.bot.policy.timeZone;
  return `Unless someone acknowledges, the ${ROLE[next.role]} is paged at ${stamp(at, zone)} ${s.bot.policy.timeZoneLabel}.`;
}

/**
 * Raises the alarm for a trigger when nobody has been reached in chat and nobody acknowledged: a loud card in
 * the thread and one in the managers' channel (each once: keyed by the trigger).
 */
async function alarmIfNobody(s: Sender, ticket: Ticket, trigger: number): Promise<void> {
  if (acknowledged(ticket, trigger) || keyed(ticket, 'reached', trigger).length > 0) return;
  const now = s.clock.now();
  const entries: NewEntry[] = [
    {
      lane: ticket.id,
      // `z|`: after a "could not reach" note (`n|`) scheduled at the same instant.
      key: `z|${trigger}`,
      kind: 'alarm',
      tenantId: ticket.tenantId,
      order: now,
      payload: { trigger },
    },
    {
      lane: managersLane(ticket.id),
      key: `A|${trigger}`,
      kind: 'managers',
      tenantId: ticket.tenantId,
      order: now,
      payload: { what: 'alarm', trigger },
    },
  ];
  await s.outbox.enqueueAll(entries, now);
  s.kick();
}

/** A step of the chain: the page card in the thread, then its 1:1 message scheduled in a lane of its own. */
export async function page(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const bot = s.bot;
  const entry = holder.entry;
  const trigger = Number(entry.payload['trigger']);
  const step = Number(entry.payload['step'] ?? 0);
  const role = roleOf(entry);
  if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
  if (!bot.policy.escalation.pagePriorities.includes(ticket.priority))
    return { outcome: `cancelled: priority now ${ticket.priority}` };
  const now = s.clock.now();
  const who = await bot.oncall.who(role, now);
  if (who === undefined) {
    const why =
      role === 'manager'
        ? 'nobody is set as support manager (ONCALL_MANAGER or STAFF_MANAGERS)'
        : `nobody is on call as ${role} (no rotation or override covers now)`;
    const line = `${ROLE[role]}: ${why}`;
    const ticked = await note(
      s,
      ticket,
      'page-failed',
      `Nobody paged as ${ROLE[role]}: ${why}. ${nextStep(s, ticket, trigger, step)}`,
      missedKey(trigger, step, line),
      { step: role },
    );
    s.log.warn('page: nobody to page in this role', { ticket: ticket.id, role });
    await alarmIfNobody(s, ticked, trigger);
    return { outcome: `skipped: no ${role} on call` };
  }
  const thread = ticket.thread;
  if (thread === undefined) throw new NotReady(`${ticket.id} has no thread in the support channel yet`);
  if (holder.entry.progress['thread'] === undefined) {
    s.guard(holder.entry);
    const id = await s.post(ticket, () =>
      bot.outbound.replyInThread(thread, pageCard(bot, ticket, who), `${ticket.id}: page, ${role}`),
    );
    await s.record(holder, { thread: id === '' ? '-' : id });
  }
  await s.outbox.enqueue(
    {
      lane: chatLane(ticket.id, who.id),
      key: `d|${trigger}|${step}`,
      kind: 'direct',
      tenantId: ticket.tenantId,
      order: now,
      payload: { trigger, step, role, to: who.id, name: who.name },
    },
    now,
  );
  s.kick();
  await note(
    s,
    ticket,
    'page-sent',
    `Paged ${who.name} (${ROLE[role]}) in the ticket's thread; a chat message to them follows.`,
    `paged:${trigger}:${step}`,
    { step: role, to: who.id },
  );
  return { outcome: 'sent' };
}

/**
 * A page's 1:1 chat message. Delivered: the timeline says the person was reached. Refused for good (not
 * installed, chat gone, blocked): the thread and timeline say so and the entry ends. Failing otherwise: the
 * thread is told once, and it is tried again, up to OUTBOX_STUCK_ATTEMPTS attempts.
 */
export async function direct(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const bot = s.bot;
  const entry = holder.entry;
  const trigger = Number(entry.payload['trigger']);
  const step = Number(entry.payload['step'] ?? 0);
  const role = roleOf(entry);
  const who: Mentioned = { id: String(entry.payload['to']), name: String(entry.payload['name']) };
  if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
  const channel = await bot.settings.supportChannel();
  const tenantId = channel?.tenantId ?? bot.config.staff.tenantId;
  const serviceUrl = channel?.serviceUrl ?? ticket.thread?.serviceUrl;
  if (tenantId === undefined || serviceUrl === undefined)
    throw new NotReady('no support channel: the staff tenant is not known');
  s.guard(entry);
  try {
    await s.tenantRun(tenantId, () =>
      bot.outbound.toUser(
        tenantId,
        serviceUrl,
        who.id,
        pageCard(bot, ticket, who),
        `${ticket.id}: page, ${role}`,
      ),
    );
  } catch (err) {
    const status = statusOf(err);
    const permanent = unreachable(err);
    const last = entry.attempts >= bot.config.watcher.stuckAttempts;
    if (permanent === undefined && !last) {
      if (entry.progress['told'] === undefined) {
        await tell(s, ticket, who, `Teams answered ${status ?? 'nothing'}`, true, trigger, step, 'retry');
        await s.record(holder, { told: '1' });
      }
      throw err;
    }
    const reason =
      permanent ?? `Teams kept failing (${status ?? 'no answer'}) after ${entry.attempts} attempts`;
    await tell(s, ticket, who, reason, false, trigger, step, 'final');
    const ticked = await note(
      s,
      ticket,
      'page-failed',
      `Could not reach ${who.name} (${ROLE[role]}) in chat: ${reason}.`,
      missedKey(trigger, step, `${who.name} (${ROLE[role]}): ${reason}`),
      { step: role, to: who.id },
    );
    await alarmIfNobody(s, ticked, trigger);
    return { outcome: `failed: ${reason}` };
  }
  await note(
    s,
    ticket,
    'page-reached',
    `Reached ${who.name} (${ROLE[role]}) in chat.`,
    reachedKey(trigger, step, who.name),
    { step: role, to: who.id },
  );
  return { outcome: 'sent' };
}

/** Schedules "could not reach X in chat" in the ticket's thread (in its order there). */
async function tell(
  s: Sender,
  ticket: Ticket,
  who: Mentioned,
  reason: string,
  retrying: boolean,
  trigger: number,
  step: number,
  kind: string,
): Promise<void> {
  const now = s.clock.now();
  await s.outbox.enqueue(
    {
      lane: ticket.id,
      key: `n|${trigger}|${step}|${kind}`,
      kind: 'notice',
      tenantId: ticket.tenantId,
      order: now,
      payload: {
        to: who.id,
        name: who.name,
        reason,
        retrying,
        next: retrying ? '' : nextStep(s, ticket, trigger, step),
      },
    },
    now,
  );
  s.kick();
}

/** A note in the ticket's thread about a chat message that failed. */
export async function notice(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const p = holder.entry.payload;
  const thread = ticket.thread;
  if (thread === undefined) throw new NotReady(`${ticket.id} has no thread in the support channel yet`);
  const card = chatFailedCard(
    ticket,
    { id: String(p['to']), name: String(p['name']) },
    String(p['reason']),
    p['retrying'] === true,
    String(p['next'] ?? ''),
  );
  s.guard(holder.entry);
  const id = await s.post(ticket, () =>
    s.bot.outbound.replyInThread(thread, card, `${ticket.id}: chat not reached`),
  );
  return { outcome: 'sent', progress: { reply: id } };
}

function alarmView(s: Sender, ticket: Ticket, trigger: number, elsewhere: boolean) {
  return {
    policy: s.bot.policy,
    ticket,
    missed: keyed(ticket, 'missed', trigger),
    reached: keyed(ticket, 'reached', trigger),
    alarmed: s.bot.oncall.alarmed(),
    now: s.clock.now(),
    elsewhere,
  };
}

/** The alarm in the ticket's thread: nobody has been reached. Recorded on the timeline with who was alarmed. */
export async function alarm(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const trigger = Number(holder.entry.payload['trigger']);
  if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
  const thread = ticket.thread;
  if (thread === undefined) throw new NotReady(`${ticket.id} has no thread in the support channel yet`);
  const view = alarmView(s, ticket, trigger, false);
  s.guard(holder.entry);
  const id = await s.post(ticket, () =>
    s.bot.outbound.replyInThread(thread, alarmCard(view), `${ticket.id}: nobody reached`),
  );
  const names = view.alarmed.map((a) => a.name).join(', ');
  await note(
    s,
    ticket,
    'paging-alarm',
    `Nobody reached in chat (${view.missed.join('; ') || 'no one to page'}). Alarm posted in the thread${names === '' ? '' : ` for ${names}`}.`,
    `alarm:${trigger}`,
  );
  return { outcome: 'sent', progress: { reply: id } };
}

/** A post in the managers' channel (else the support channel): the alarm, or a delivery that keeps failing. */
export async function managers(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const bot = s.bot;
  const p = holder.entry.payload;
  const channel = (await bot.settings.managersChannel()) ?? (await bot.settings.supportChannel());
  if (channel === null) throw new NotReady('no managers channel and no support channel');
  let card;
  if (p['what'] === 'alarm') {
    const trigger = Number(p['trigger']);
    if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
    card = alarmCard(alarmView(s, ticket, trigger, true));
  } else {
    card = stuckCard(JSON.parse(String(p['lines'] ?? '[]')) as string[], String(p['title'] ?? ''));
  }
  s.guard(holder.entry);
  await s.tenantRun(channel.tenantId, () =>
    bot.outbound.startThread(
      channel,
      card,
      p['what'] === 'alarm' ? `${ticket.id}: nobody reached (managers)` : `${ticket.id}: delivery stuck`,
    ),
  );
  if (p['what'] === 'alarm')
    await note(
      s,
      ticket,
      'paging-alarm',
      `Alarm posted in the managers' channel${channel.channelName === '' ? '' : ` (${channel.channelName})`}.`,
      `alarm-managers:${String(p['trigger'])}`,
    );
  return { outcome: 'sent' };
}

/** A P1 inside support hours: announced at once in its thread to the P1 responders (else on call, else managers). */
export async function announce(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const bot = s.bot;
  const now = s.clock.now();
  const configured = bot.config.oncall.responders.map((id) => ({ id, name: bot.oncall.name(id) }));
  const primary = configured.length === 0 ? await bot.oncall.who('primary', now) : undefined;
  const responders: Mentioned[] =
    configured.length > 0 ? configured : primary !== undefined ? [primary] : bot.oncall.alarmed();
  const thread = ticket.thread;
  if (thread === undefined) throw new NotReady(`${ticket.id} has no thread in the support channel yet`);
  const card = announceCard(bot.policy, ticket, responders, now);
  s.guard(holder.entry);
  const id = await s.post(ticket, () =>
    bot.outbound.replyInThread(thread, card, `${ticket.id}: P1 announced`),
  );
  const names = responders.map((r) => r.name).join(', ');
  await note(
    s,
    ticket,
    'page-sent',
    names === ''
      ? 'Announced in the thread, without an @mention: no P1 responder, on-call engineer or manager is configured.'
      : `Announced in the thread to ${names}.`,
    `announced:${String(holder.entry.payload['trigger'])}`,
  );
  return { outcome: 'sent', progress: { reply: id } };
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
