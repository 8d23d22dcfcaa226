// What the paging steps share: the chain's roles, the keys a page leaves on its ticket (who was reached in chat,
// who was not and why), acknowledgement, and timeline lines written once.
import { stamp } from '../domain/cards/time';
import type { ChainRole } from '../domain/oncall/who';
import type { OutboxEntry, Progress } from '../adapters/storage/outbox';
import type { RecordType } from '../domain/tickets/commands';
import type { Ticket } from '../domain/tickets/model';
import { acknowledged } from '../domain/tickets/paging';
import type { Sender } from './sender';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };

export type Done = { readonly outcome: string; readonly progress?: Progress };
export type Holder = { entry: OutboxEntry };

export const ROLE: Readonly<Record<ChainRole, string>> = {
  primary: 'primary on call',
  secondary: 'secondary on call',
  manager: 'support manager',
};

export function roleOf(entry: OutboxEntry): ChainRole {
  const r = String(entry.payload['role']);
  return r === 'secondary' || r === 'manager' ? r : 'primary';
}

/** A chain step of an entry: its page trigger, its index in the chain and its role. */
export interface Step {
  readonly trigger: number;
  readonly step: number;
  readonly role: ChainRole;
}

/** The step an entry is for, or why it no longer goes out (acknowledged, or the priority no longer pages). */
export function stepOf(entry: OutboxEntry, ticket: Ticket, pagePriorities: readonly string[]): Step | Done {
  const trigger = Number(entry.payload['trigger']);
  if (acknowledged(ticket, trigger)) return { outcome: 'cancelled: acknowledged' };
  if (!pagePriorities.includes(ticket.priority))
    return { outcome: `cancelled: priority now ${ticket.priority}` };
  return { trigger, step: Number(entry.payload['step'] ?? 0), role: roleOf(entry) };
}

/** Keys on the ticket: who a page reached in chat, and who it did not (with why), per trigger. */
export const reachedKey = (trigger: number, step: number, name: string): string =>
  `reached:${trigger}:${step}:${name}`;
export const missedKey = (trigger: number, step: number, line: string): string =>
  `missed:${trigger}:${step}:${line}`;

export function keyed(ticket: Ticket, prefix: string, trigger: number): string[] {
  const head = `${prefix}:${trigger}:`;
  return ticket.notified
    .filter((k) => k.startsWith(head))
    .map((k) => k.slice(head.length).replace(/^\d+:/, ''));
}

/**
 * True when a page of the ticket raised the alarm and nobody has been reached in chat or acknowledged since
 * (what the customer is then told, with the phone).
 */
export function nobodyReached(ticket: Ticket): boolean {
  const alarmed = ticket.notified.some((k) => k.startsWith('alarm:'));
  return alarmed && !ticket.notified.some((k) => k.startsWith('reached:') || k.startsWith('ack:'));
}

/** Records a line on the ticket's timeline once (by key) and tells the listeners. */
export async function note(
  s: Sender,
  ticket: Ticket,
  type: RecordType,
  text: string,
  key: string,
  data: Readonly<Record<string, string | number | boolean | null>> = {},
): Promise<Ticket> {
  // Already on the ticket (a retry, another instance): the action id catches the rest.
  if (ticket.notified.includes(key)) return ticket;
  const recorded = await s.app.tickets.act(
    { kind: 'staff' },
    ticket.id,
    SYSTEM,
    { kind: 'record', type, text, data: { ...data, key } },
    { actionId: `${type}:${ticket.id}:${key}`.slice(0, 200) },
  );
  if (!recorded.ok) throw new Error(recorded.error.message);
  return recorded.value.ticket;
}

/** When the next step of the chain goes out, in words ("the secondary on call is paged at 21:45 ET"). */
export function nextStep(s: Sender, ticket: Ticket, trigger: number, step: number): string {
  const chain = s.app.policy.escalation.chain;
  const next = chain[step + 1];
  if (next === undefined) return 'This was the last step of the paging chain.';
  const at = trigger + next.afterMinutes * 60_000;
  const zone = s.app.policy.timeZone;
  return `Unless someone acknowledges, the ${ROLE[next.role]} is paged at ${stamp(at, zone)} ${s.app.policy.timeZoneLabel}.`;
}
