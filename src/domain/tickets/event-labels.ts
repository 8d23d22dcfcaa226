// What each kind of ticket event is called: in the tab's ticket timeline, and (shorter, beside who and
// when) in the thread's root card where that differs. Pure data, imported by the cards and by the tab.
import type { EventType, TicketStatus } from './model';

export const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  created: 'Filed',
  'customer-message': 'Customer message',
  'customer-answered': 'Customer answered',
  'engineer-reply': 'Reply',
  'info-requested': 'Asked for information',
  'internal-note': 'Internal note',
  'priority-changed': 'Priority changed',
  'owner-changed': 'Owner changed',
  'workaround-delivered': 'Work-around delivered',
  'fix-recorded': 'Fix recorded',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
  'escalation-requested': 'Escalation requested',
  'warning-sent': 'Deadline warning',
  'page-sent': 'On-call paged',
  'page-acknowledged': 'Page acknowledged',
  'page-scheduled': 'Paging',
  'page-reached': 'Reached in chat',
  'page-failed': 'Page not delivered',
  'paging-alarm': 'Nobody reached',
  'channel-missing': 'No support channel',
  'delivery-failed': 'Not delivered to the customer',
  'delivery-recovered': 'Delivered to the customer',
  'rating-asked': 'Rating asked',
  rated: 'Rated',
  'attachment-added': 'File added',
  'attachment-removed': 'File deleted',
  'follow-up-filed': 'Follow-up ticket filed',
};

/** The root card's shorter words, where they differ from the timeline's. */
export const CARD_EVENT_LABELS: Readonly<Partial<Record<EventType, string>>> = {
  'customer-message': 'Customer wrote',
  'engineer-reply': 'Replied',
  'info-requested': 'Asked the customer',
  'owner-changed': 'Owner',
  'fix-recorded': 'Permanent fix',
  'warning-sent': 'Warning',
  'page-sent': 'Paged',
};

/** An event type's name in the timeline or on the card; the type itself for one this build does not know. */
export function eventLabel(type: string, where: 'timeline' | 'card'): string {
  const card: Readonly<Record<string, string | undefined>> = CARD_EVENT_LABELS;
  const timeline: Readonly<Record<string, string | undefined>> = EVENT_LABELS;
  return (where === 'card' ? card[type] : undefined) ?? timeline[type] ?? type;
}

/** What an event heading needs: its type, who did it and its data (a stored event or the API's view). */
export interface TitledEvent {
  readonly type: string;
  readonly by: string;
  readonly data?: Readonly<Record<string, string | number | boolean | null | undefined>> | null | undefined;
}

/** True for an owner change someone made for another person (an assign, not a take). */
export function isAssign(e: TitledEvent): boolean {
  const to = e.data?.['to'];
  return e.type === 'owner-changed' && typeof to === 'string' && to !== e.by;
}

/**
 * An event's heading with what its data says: "Took ownership", "Assigned to Ana Diaz", "Priority P3 → P2",
 * "Fix recorded: 2.14.4"; the plain label for the others (and for events stored without data).
 */
export function eventTitle(e: TitledEvent, where: 'timeline' | 'card'): string {
  const data = e.data ?? {};
  const to = data['to'];
  if (e.type === 'owner-changed' && typeof to === 'string')
    return isAssign(e) ? `Assigned to ${to}` : 'Took ownership';
  const from = data['from'];
  if (e.type === 'priority-changed' && typeof from === 'string' && typeof to === 'string')
    return `Priority ${from} → ${to}`;
  // The alarm's second post (managers' or support channel) is not a second "Nobody reached".
  const key = data['key'];
  if (e.type === 'paging-alarm' && typeof key === 'string' && key.startsWith('alarm-managers:'))
    return 'Alarm posted';
  const score = data['score'];
  if (e.type === 'rated' && typeof score === 'number') return ratedTitle(score, data);
  const release = data['release'];
  if (e.type === 'fix-recorded' && typeof release === 'string')
    return `${eventLabel(e.type, where)}: ${release}`;
  return eventLabel(e.type, where);
}

/**
 * A rating's heading, naming its resolution when the rating recorded one (a reopened ticket) and the score it
 * replaced: "Rated 4 of 5", "Rated 1 of 5 (resolution of Wed 9 Dec 2026 10:01 ET)",
 * "Rating of the resolution of Tue 8 Dec 2026 10:01 ET changed from 2 to 5 of 5".
 */
function ratedTitle(score: number, data: NonNullable<TitledEvent['data']>): string {
  const previous = data['previous'];
  const resolution = typeof data['resolution'] === 'string' ? data['resolution'] : undefined;
  if (typeof previous === 'number')
    return `Rating${resolution === undefined ? '' : ` of the ${resolution}`} changed from ${previous} to ${score} of 5`;
  return `Rated ${score} of 5${resolution === undefined ? '' : ` (${resolution})`}`;
}

/**
 * The status people are shown: the stored one, except "reopened" from a reopen until the round's first reply
 * (the stored status stays as it was, plan.ts; the response target is unmet again).
 */
export type ShownStatus = TicketStatus | 'reopened';

/** A ticket's status as cards, the API and the tab show it (see `ShownStatus`). */
export function shownStatus(t: {
  readonly status: TicketStatus;
  readonly reopened?: unknown;
  readonly responseMetAt?: number | undefined;
}): ShownStatus {
  const waiting = t.status === 'resolved' || t.status === 'closed' || t.status === 'waiting-on-customer';
  return t.reopened !== undefined && t.responseMetAt === undefined && !waiting ? 'reopened' : t.status;
}

/** A ticket's status in words, lower case to sit inside a sentence: one mapping wherever the tab shows it. */
export const STATUS_WORDS: Readonly<Record<ShownStatus, string>> = {
  reopened: 'reopened',
  new: 'new',
  responded: 'responded',
  'waiting-on-customer': 'waiting on the customer',
  'workaround-delivered': 'work-around delivered',
  resolved: 'resolved',
  closed: 'closed',
};
