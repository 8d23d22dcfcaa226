// What each kind of ticket event is called: `card` in the thread's root card (short, beside who and when),
// `timeline` in the tab's ticket timeline. Pure data, imported by the cards and by the tab.
import type { EventType } from './model';

export interface EventLabel {
  readonly card: string;
  readonly timeline: string;
}

export const EVENT_LABELS: Readonly<Record<EventType, EventLabel>> = {
  created: { card: 'Filed', timeline: 'Filed' },
  'customer-message': { card: 'Customer wrote', timeline: 'Customer message' },
  'customer-answered': { card: 'Customer answered', timeline: 'Customer answered' },
  'engineer-reply': { card: 'Replied', timeline: 'Reply' },
  'info-requested': { card: 'Asked the customer', timeline: 'Asked for information' },
  'internal-note': { card: 'Internal note', timeline: 'Internal note' },
  'priority-changed': { card: 'Priority changed', timeline: 'Priority changed' },
  'owner-changed': { card: 'Owner', timeline: 'Owner changed' },
  'workaround-delivered': { card: 'Work-around delivered', timeline: 'Work-around delivered' },
  'fix-recorded': { card: 'Permanent fix', timeline: 'Fix recorded' },
  resolved: { card: 'Resolved', timeline: 'Resolved' },
  closed: { card: 'Closed', timeline: 'Closed' },
  reopened: { card: 'Reopened', timeline: 'Reopened' },
  'escalation-requested': { card: 'Escalation requested', timeline: 'Escalation requested' },
  'warning-sent': { card: 'Warning', timeline: 'Deadline warning' },
  'page-sent': { card: 'Paged', timeline: 'On-call paged' },
  'page-acknowledged': { card: 'Page acknowledged', timeline: 'Page acknowledged' },
  'page-scheduled': { card: 'Paging', timeline: 'Paging' },
  'page-reached': { card: 'Reached in chat', timeline: 'Reached in chat' },
  'page-failed': { card: 'Page not delivered', timeline: 'Page not delivered' },
  'paging-alarm': { card: 'Nobody reached', timeline: 'Nobody reached' },
  'channel-missing': { card: 'No support channel', timeline: 'No support channel' },
  'delivery-failed': { card: 'Not delivered to the customer', timeline: 'Not delivered to the customer' },
  'delivery-recovered': { card: 'Delivered to the customer', timeline: 'Delivered to the customer' },
};

/** An event type's name in one place; the type itself for a type this build does not know. */
export function eventLabel(type: string, where: keyof EventLabel): string {
  const known: Readonly<Record<string, EventLabel | undefined>> = EVENT_LABELS;
  return known[type]?.[where] ?? type;
}
