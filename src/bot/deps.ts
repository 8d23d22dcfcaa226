// What bot features need, and helpers they share: the customer gate, ticket views, card replies.
import type { ThreadClaims } from '../storage/thread-claims';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Policy } from '../policy/schema';
import type { Instant, SlaEngine } from '../sla';
import type { AdaptiveCard } from '../cards/types';
import type { Clock, Contact } from '../cards/customer/common';
import type { ListItem } from '../cards/customer/list';
import type { TargetLine } from '../cards/targets';
import { slaInput } from '../tickets/commands';
import type { Ticket, TicketEvent } from '../tickets/model';
import { OPEN_STATUSES } from '../tickets/model';
import type { TicketService } from '../tickets/service';
import type { OutageService } from '../outages/service';
import type { Background } from '../background';
import type { AuditLog } from '../storage/audit';
import type { MessageRefs } from '../storage/messages';
import type { Settings } from '../storage/settings';
import type { NoticeLog } from '../storage/notices';
import type { StaffDirectory } from '../staff/directory';
import type { OnCallLookup } from '../oncall/who';
import type { Outbound } from './outbound';
import { callerOf, type Caller } from './teams';

/** Told after every ticket change, whoever made it (the support channel's live cards listen here). */
export type TicketListener = (ticket: Ticket, events: readonly TicketEvent[]) => Promise<void>;

export interface BotDeps {
  readonly config: Config;
  readonly policy: Policy;
  readonly engine: SlaEngine;
  readonly tickets: TicketService;
  readonly log: Logger;
  readonly now: () => Instant;
  readonly contact: Contact;
  /** True when the watcher runs: off-hours P1s page whoever is on call, or alarm the managers when nobody is. */
  readonly paging: boolean;
  /** Who is on call (rotation, overrides, the support manager), for pages and for what customers are told. */
  readonly oncall: OnCallLookup;
  readonly changed: TicketListener;
  readonly settings: Settings;
  readonly audit: AuditLog;
  readonly messages: MessageRefs;
  readonly outbound: Outbound;
  readonly background: Background;
  readonly outages: OutageService;
  /** Who is support staff (configured ids, then Entra groups): `await deps.staff.resolve(caller)`. */
  readonly staff: StaffDirectory;
  /** Customer notices that reached the customer (so a crash-interrupted one can be sent later). */
  readonly notices?: NoticeLog | undefined;
  /** Which instance is starting a ticket's thread (none: this instance alone posts threads). */
  readonly threadClaims?: ThreadClaims | undefined;
}

export interface Staff {
  readonly caller: Caller;
  readonly role: 'engineer' | 'manager';
  readonly name: string;
}

/** The caller as support staff: the staff tenant and a configured engineer or manager id. */
export function staffOf(caller: Caller | undefined, config: Pick<Config, 'staff'>): Staff | undefined {
  const tenant = config.staff.tenantId;
  if (caller === undefined || tenant === undefined || caller.tenantId !== tenant) return undefined;
  const id = (caller.aadObjectId ?? '').toLowerCase();
  const manager = config.staff.managers.get(id);
  if (manager !== undefined) return { caller, role: 'manager', name: manager };
  const engineer = config.staff.engineers.get(id);
  if (engineer !== undefined) return { caller, role: 'engineer', name: engineer };
  return undefined;
}

export interface Customer {
  readonly caller: Caller;
  readonly customerName: string;
}

/** A text shown to users of tenants that are not customers; nothing about them is stored. */
export function notCustomerText(contact: Contact): string {
  return `This Teams organisation is not set up for SLA Desk support. Please call ${contact.phone} or email ${contact.email}.`;
}

/** The caller as a customer of a configured tenant, or undefined (the reason is logged, not stored). */
export function customerOf(context: TurnContext, deps: BotDeps): Customer | undefined {
  const caller = callerOf(context.activity);
  if (caller === undefined) return undefined;
  const customerName = deps.config.customers.get(caller.tenantId);
  if (customerName === undefined) {
    deps.log.info('refused: tenant is not a customer', {
      tenant: caller.tenantId,
      type: context.activity.type,
    });
    return undefined;
  }
  return { caller, customerName };
}

export function clockFor(caller: Caller, deps: BotDeps): Clock {
  return { now: deps.now(), viewerZone: caller.zone };
}

/** Both targets of a ticket with their state now. */
export function targetLines(deps: BotDeps, ticket: Ticket, now: Instant): TargetLine[] {
  const result = deps.engine.evaluate(slaInput(ticket));
  return (['response', 'workaround'] as const).map((target) => ({
    label: target === 'response' ? 'Response' : 'Work-around',
    due: result[target].due,
    clock: result[target].basis.clock,
    status: deps.engine.status(result[target], now, ticket.pauses),
  }));
}

/** A list row: the earliest unmet target. */
export function listItem(deps: BotDeps, ticket: Ticket, now: Instant): ListItem {
  if (!OPEN_STATUSES.has(ticket.status)) return { ticket, next: null };
  const lines = targetLines(deps, ticket, now).filter((l) => l.status.state !== 'met');
  const first = lines.sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity))[0];
  return {
    ticket,
    next: first === undefined ? null : { label: first.label, due: first.due, state: first.status.state },
  };
}

/** Sends a card as a new message; returns its id. */
export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<string | undefined> {
  return (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id;
}

/** The message a customer's message replies to: Teams' replyToId, or the id in a quoted reply. */
export function repliedTo(activity: TurnContext['activity']): string | undefined {
  if (typeof activity.replyToId === 'string' && activity.replyToId !== '') return activity.replyToId;
  for (const a of activity.attachments ?? []) {
    if (a.contentType !== 'text/html' || typeof a.content !== 'string') continue;
    const m = /itemtype="http:\/\/schema\.skype\.com\/Reply"[^>]*itemid="([^"]{1,200})"/.exec(a.content);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}
