// The words of a reopened ticket, over real HTTP with the fake Bot Connector and a real Azurite (trial of issue
// 21): the resolution message says until when it can be reopened; a reopened ticket reads "Reopened" until the
// round's first reply; with two resolutions, the second rating card, the timeline, the thread and the root card
// say which resolution each rating is about, and the customer's ticket card names every event it shows.
import type { App } from '../../src/app';
import { ticketRow } from '../../src/adapters/api/views';
import { eventTitle } from '../../src/domain/tickets/event-labels';
import type { Ticket } from '../../src/domain/tickets/model';
import { personalMessage, post } from '../support/activities';
import { cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { megan, RatingWorld, submitData } from '../support/rating-world';

// Sunday 6 December 2026, 14:03 ET; each staff step is a minute on (resolved at 14:05 after a take).
const world = new RatingWorld('19:rating-rounds@thread.tacv2', Date.parse('2026-12-06T14:03:00-05:00'));
const { clock, seenCards, filed, staff, stored, inChat, ratingCards, press, inThread } = world;
let app: App;
let connector: FakeConnector;

beforeAll(async () => {
  await world.start();
  ({ app, connector } = world);
});
afterAll(() => world.stop());

/** The customer's ticket card ("status TM-…"), as text. */
async function status(id: string): Promise<string> {
  connector.clear();
  const res = await post(
    `${app.url}/api/messages`,
    personalMessage({ ...megan, serviceUrl: connector.serviceUrl, text: `status ${id}` }),
  );
  expect(res.status).toBe(200);
  const card = connector.sent().flatMap((r) => cardsOf(r.activity))[0];
  seenCards.push(card);
  return cardText(card);
}

describe('a ticket resolved twice', () => {
  let ticket: Ticket;
  let chat: string;
  let firstCard: Record<string, unknown>;

  it('the resolution message without a note says it was resolved and until when it can be reopened', async () => {
    ({ ticket, chat } = await filed('Voicemail greetings vanish'));
    await staff(ticket.id, { kind: 'take' });
    await staff(ticket.id, { kind: 'resolve' });
    const notice = inChat(chat).find((t) => t.includes(`Resolved · ${ticket.id}`)) ?? '';
    // Resolved Sun 6 Dec 14:05 ET; the policy's 14 days end Sun 20 Dec 14:05 ET (Megan is in New York).
    expect(notice).toContain(`${ticket.id} was resolved.`);
    expect(notice).toContain('If the fix does not hold, you can reopen it until Sun 20 Dec 14:05 ET.');
    firstCard = ratingCards(chat)[0] ?? {};
    // One resolution so far: the card does not name it.
    expect(cardText(firstCard)).not.toContain('For its resolution');
    await press({ ...submitData(firstCard), score: '2', comment: 'Only half fixed.' });
  });

  it('after a reopen it reads "Reopened" until the first reply, on the customer card, root card and API', async () => {
    const t = await staff(ticket.id, { kind: 'reopen', reason: 'Greetings vanish again' });
    expect(t.status).toBe('responded');
    expect(await status(ticket.id)).toContain(`${ticket.id} · P2 · Reopened`);
    const root = cardText(cardsOf(connector.current(t.thread?.activityId ?? ''))[0]);
    expect(root).toContain(`${ticket.id} · P2 · Reopened · Contoso`);
    expect(ticketRow(app.engine, t, clock.now).status).toBe('reopened');
    const replied = await staff(ticket.id, { kind: 'reply', text: 'Looking again.' });
    expect(await status(ticket.id)).toContain(`${ticket.id} · P2 · Responded`);
    expect(ticketRow(app.engine, replied, clock.now).status).toBe('responded');
  });

  it('names the resolution on the second card, the timeline, the thread and the root card', async () => {
    // Resolved again at 14:08 ET (each staff step is a minute on).
    const again = await staff(ticket.id, { kind: 'resolve', text: 'Greetings are stored twice now.' });
    // The chat as sent since the last status check (status() clears the connector's record).
    const second = ratingCards(chat).at(-1) ?? {};
    expect(cardText(second)).toContain('How did we do on');
    expect(cardText(second)).toContain('For its resolution of Sun 6 Dec 2026 14:08 ET.');
    await press({ ...submitData(second), score: '1', comment: 'Still broken.' });
    let t = await stored(ticket.id);
    expect(inThread(t)).toContain(
      `${ticket.id}'s resolution of Sun 6 Dec 2026 14:08 ET was rated 1 of 5 by Megan Bowen: Still broken.`,
    );
    // The first card changed after the second was rated: said as a change of the first resolution's rating.
    await press({ ...submitData(firstCard), score: '5', comment: 'The first fix held after all.' });
    t = await stored(ticket.id);
    expect(inThread(t)).toContain(
      `The rating of ${ticket.id}'s resolution of Sun 6 Dec 2026 14:05 ET changed from 2 to 5 of 5 by Megan Bowen: The first fix held after all.`,
    );
    const events = await app.tickets.timeline({ kind: 'staff' }, ticket.id);
    if (!events.ok) throw events.error;
    const titles = events.value.events
      .filter((e) => e.type === 'rated')
      .map((e) => eventTitle({ type: e.type, by: e.actor.name, data: e.data }, 'timeline'));
    expect(titles).toEqual([
      'Rated 2 of 5',
      'Rated 1 of 5 (resolution of Sun 6 Dec 2026 14:08 ET)',
      'Rating of the resolution of Sun 6 Dec 2026 14:05 ET changed from 2 to 5 of 5',
    ]);
    // The root card shows the latest resolution's rating, and which one.
    const root = cardText(cardsOf(connector.current(t.thread?.activityId ?? ''))[0]);
    expect(root).toContain('Rated 1/5 (resolution of Sun 6 Dec 2026 14:08 ET)');
    expect(again.resolvedAt).toBe(t.ratings?.[1]?.resolvedAt);
  });

  it('the customer’s ticket card labels the ratings and never prints an event type', async () => {
    const shown = await status(ticket.id);
    expect(shown).toContain('You rated 1 of 5 for the resolution of Sun 6 Dec 2026 14:08 ET');
    expect(shown).toContain(
      'You changed your rating for the resolution of Sun 6 Dec 2026 14:05 ET from 2 to 5 of 5',
    );
    expect(shown).not.toMatch(/\brated,|attachment-added|rating-asked/);
  });
});
