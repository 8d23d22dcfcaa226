// What each kind of ticket event is called: in the tab's ticket timeline, and (shorter, beside who and
// when) in the thread's root card where that differs. Pure data, imported by the cards and by the tab.
import type { EventType } from './model';

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
