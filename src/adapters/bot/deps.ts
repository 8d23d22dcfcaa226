// The app's parts the bot's features pick from (each names its own in a `…Deps` type), and the helpers they
// share: the customer gate, the viewer's clock, card replies.
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { SatisfactionStore } from '../../domain/stats/satisfaction';
import type { Config } from '../../config';
import type { AdaptiveCard } from '../../domain/cards/types';
import type { Clock, Contact } from '../../domain/cards/customer/common';
import type { OutageService } from '../../domain/outages/service';
import type { AuditLog } from '../storage/audit';
import type { StaffDirectory } from '../../domain/staff/directory';
import type { OnCallLookup } from '../../domain/oncall/who';
import { callerOf } from './teams';
import type { Caller } from '../../domain/staff/caller';
import type { TeamsDeps } from '../teams/deps';
import type { AttachmentService } from '../../domain/attachments/service';
import type { FileFetcher } from '../teams/chat-files';

/** The catalogue app.ts builds: the Teams projections' parts and the bot's own. */
export interface BotDeps extends TeamsDeps {
  readonly config: Config;
  readonly contact: Contact;
  /** True when the watcher runs: off-hours P1s page whoever is on call, or alarm the managers when nobody is. */
  readonly paging: boolean;
  /** Who is on call (rotation, overrides, the support manager), for pages and for what customers are told. */
  readonly oncall: OnCallLookup;
  readonly audit: AuditLog;
  readonly outages: OutageService;
  /** Who is support staff (configured ids, then Entra groups): `await deps.staff.resolve(caller)`. */
  readonly staff: StaffDirectory;
  /** Files on tickets: `add` (chat files, pasted images), `check` before downloading, `list`, `open`. */
  readonly attachments: AttachmentService;
  /** The satisfaction counters, for the customer's report (none: counted from the tickets it reads). */
  readonly satisfaction?: Pick<SatisfactionStore, 'months'> | undefined;
  /** Downloads the files customers send in chat (src/adapters/teams/chat-files.ts). */
  readonly fetcher: FileFetcher;
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
export function customerOf(
  context: TurnContext,
  deps: Pick<BotDeps, 'config' | 'log'>,
): Customer | undefined {
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

export function clockFor(caller: Caller, deps: Pick<BotDeps, 'now'>): Clock {
  return { now: deps.now(), viewerZone: caller.zone };
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
