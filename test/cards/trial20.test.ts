// Trial 20: the support channel's root card says when a met target was met, in the tab's words and the
// policy's zone ("Response · Met Sun 6 Dec, 05:51 ET"), not "Met · met".
import { rootCard } from '../../src/domain/cards/staff';
import { targetLines } from '../../src/domain/cards/targets';
import { dayTime } from '../../src/domain/cards/time';
import { eventTitle } from '../../src/domain/tickets/event-labels';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import { apply, openTicket } from '../../src/domain/tickets/commands';
import type { Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice } from '../fixtures/filing';
import { cardText } from '../support/cards';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);

function replied(): Ticket {
  const opened = openTicket('TM-1021', aFiling({ priority: 'P3' }), et('2026-12-06T05:50:00'), engine);
  if (!opened.ok) throw opened.error;
  const r = apply(
    opened.value.ticket,
    alice,
    { kind: 'reply', text: 'Looking at it.' },
    et('2026-12-06T05:51:30'),
    engine,
  );
  if (!r.ok) throw r.error;
  return r.value.ticket;
}

describe('the root card of a ticket whose response is met', () => {
  it('says when, like the tab: "Response · Met Sun 6 Dec, 05:51 ET"', () => {
    const ticket = replied();
    const now = et('2026-12-07T09:00:00');
    const text = cardText(
      rootCard({
        policy: DEFAULT_POLICY,
        ticket,
        targets: targetLines(engine, ticket, now),
        events: [],
        engineers: [],
        now,
      }),
    );
    expect(text).toContain('**Response** · Met Sun 6 Dec, 05:51 ET');
    expect(text).not.toMatch(/Met · met/);
    expect(text).toContain('**Work-around** · On track · due ');
  });

  it('reads the time in the policy zone, whatever the machine zone', () => {
    const at = Date.parse('2026-12-06T10:51:59Z');
    expect(dayTime(at, 'America/New_York')).toBe('Sun 6 Dec, 05:51');
    expect(dayTime(at, 'Europe/Berlin')).toBe('Sun 6 Dec, 11:51');
  });
});

describe("an alarm's two timeline entries", () => {
  it('read "Nobody reached" once (the thread), then "Alarm posted" (the channel post)', () => {
    const thread = { type: 'paging-alarm', by: 'SLA Desk', data: { key: 'alarm:1' } };
    const channel = { type: 'paging-alarm', by: 'SLA Desk', data: { key: 'alarm-managers:1:end' } };
    expect(eventTitle(thread, 'timeline')).toBe('Nobody reached');
    expect(eventTitle(channel, 'timeline')).toBe('Alarm posted');
    expect(eventTitle(channel, 'card')).toBe('Alarm posted');
  });
});
