// What the outbox sends for a P1's paging: each step of the chain in the ticket's thread (with the @mention),
// its 1:1 chat message in a lane of its own (a failing chat never holds back the thread or the next step),
// what could not be reached said in the thread, and an alarm to the managers when nobody has been reached.
// Every timeline line says what happened: who was paged, reached, not reached, and why.
import { pageCard } from '../domain/cards/page';
import { announceCard, chatFailedCard, type Mentioned } from '../domain/cards/watch';
import type { Ticket } from '../domain/tickets/model';
import { chatLane } from '../adapters/storage/outbox';
import { alarmIfNobody } from './alarms';
import { missedKey, nextStep, note, reachedKey, ROLE, stepOf, type Done, type Holder } from './chain';
import type { Sender } from './sender';
import { NotReady, threadOf } from './sender';
import { statusOf } from './limits';

/** A step of the chain: the page card in the thread, then its 1:1 message scheduled in a lane of its own. */
export async function page(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const app = s.app;
  const entry = holder.entry;
  const at = stepOf(entry, ticket, app.policy.escalation.pagePriorities);
  if ('outcome' in at) return at;
  const { trigger, step, role } = at;
  const now = s.clock.now();
  const who = await app.oncall.who(role, now);
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
    await alarmIfNobody(s, ticked, trigger, step >= s.app.policy.escalation.chain.length - 1);
    return { outcome: `skipped: no ${role} on call` };
  }
  const thread = threadOf(ticket);
  if (holder.entry.progress['thread'] === undefined) {
    s.guard(holder.entry);
    const id = await s.post(ticket, () =>
      app.teams.replyInThread(thread, pageCard(app, ticket, who), `${ticket.id}: page, ${role}`),
    );
    await s.record(holder, { thread: id === '' ? '-' : id, to: who.id, name: who.name });
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
  const entry = holder.entry;
  const who: Mentioned = { id: String(entry.payload['to']), name: String(entry.payload['name']) };
  const app = s.app;
  const at = stepOf(entry, ticket, app.policy.escalation.pagePriorities);
  if ('outcome' in at) return at;
  const { trigger, step, role } = at;
  const channel = await app.settings.supportChannel();
  const tenantId = channel?.tenantId ?? app.config.staff.tenantId;
  const serviceUrl = channel?.serviceUrl ?? ticket.thread?.serviceUrl;
  if (tenantId === undefined || serviceUrl === undefined)
    throw new NotReady('no support channel: the staff tenant is not known');
  s.guard(entry);
  try {
    await s.tenantRun(tenantId, () =>
      app.teams.toUser(
        tenantId,
        serviceUrl,
        who.id,
        pageCard(app, ticket, who),
        `${ticket.id}: page, ${role}`,
      ),
    );
  } catch (err) {
    const status = statusOf(err);
    const permanent = app.teams.unreachable(err);
    const last = entry.attempts >= app.config.watcher.stuckAttempts;
    if (permanent === undefined && !last) {
      if (entry.progress['told'] === undefined) {
        await tell(s, ticket, who, `Teams answered ${status ?? 'nothing'}`, true, trigger, step, 'retry');
        await s.record(holder, { told: '1' });
      }
      throw err;
    }
    const reason =
      permanent ?? `Teams kept failing (${status ?? 'no answer'}) after ${entry.attempts} attempts`;
    // Ids and a code only: the operator sees a page that reached nobody without reading the thread.
    s.log.warn('page: could not reach the person in chat', {
      to: who.id,
      role,
      reason: app.teams.unreachableCode(err) ?? 'KEPT_FAILING',
      status,
      attempts: entry.attempts,
    });
    await tell(s, ticket, who, reason, false, trigger, step, 'final');
    const ticked = await note(
      s,
      ticket,
      'page-failed',
      `Could not reach ${who.name} (${ROLE[role]}) in chat: ${reason}.`,
      missedKey(trigger, step, `${who.name} (${ROLE[role]}): ${reason}`),
      { step: role, to: who.id },
    );
    await alarmIfNobody(s, ticked, trigger, step >= s.app.policy.escalation.chain.length - 1);
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
  const thread = threadOf(ticket);
  const card = chatFailedCard(
    ticket,
    { id: String(p['to']), name: String(p['name']) },
    String(p['reason']),
    p['retrying'] === true,
    String(p['next'] ?? ''),
  );
  s.guard(holder.entry);
  const id = await s.post(ticket, () =>
    s.app.teams.replyInThread(thread, card, `${ticket.id}: chat not reached`),
  );
  return { outcome: 'sent', progress: { reply: id } };
}

/** A P1 inside support hours: announced at once in its thread to the P1 responders (else on call, else managers). */
export async function announce(s: Sender, holder: Holder, ticket: Ticket): Promise<Done> {
  const app = s.app;
  const now = s.clock.now();
  const configured = app.config.oncall.responders.map((id) => ({ id, name: app.oncall.name(id) }));
  const primary = configured.length === 0 ? await app.oncall.who('primary', now) : undefined;
  const responders: Mentioned[] =
    configured.length > 0 ? configured : primary !== undefined ? [primary] : app.oncall.alarmed();
  const thread = threadOf(ticket);
  const card = announceCard(app.policy, ticket, responders, now);
  s.guard(holder.entry);
  const id = await s.post(ticket, () => app.teams.replyInThread(thread, card, `${ticket.id}: P1 announced`));
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
