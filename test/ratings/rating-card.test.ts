// Telling us how we did, over real HTTP with the fake Bot Connector and a real Azurite: a resolution that reaches
// the customer brings one rating card; they rate, change it within 7 days, are refused after; another tenant,
// forged card data and bad values change nothing; low ratings reach the ticket's thread; a reopen and a second
// resolution ask again, keeping the first rating.
import type { App } from '../../src/app';
import { deliverToCustomer } from '../../src/adapters/teams/customer-delivery';
import type { Ticket } from '../../src/domain/tickets/model';
import { CONTOSO, FABRIKAM } from '../fixtures/filing';
import { cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { ENGINEER, RatingWorld, submitData } from '../support/rating-world';

// Sunday 6 December 2026, 14:03 ET (resolved at 14:05 after a take): seven days on is Sunday 13 December, 14:05 ET.
const world = new RatingWorld('19:ratings-support@thread.tacv2', Date.parse('2026-12-06T14:03:00-05:00'));
const { clock, filed, staff, stored, inChat, ratingCards, press, inThread } = world;
let app: App;
let connector: FakeConnector;
const DAY = 86_400_000;
const fabrikam = { tenantId: FABRIKAM, userId: '29:frank', userName: 'Frank Fabrikam' };

beforeAll(async () => {
  await world.start();
  ({ app, connector } = world);
});
afterAll(() => world.stop());

describe('a resolved ticket asks its customer how we did', () => {
  let ticket: Ticket;
  let chat: string;
  let card: Record<string, unknown>;

  it('sends exactly one rating card, after the resolution message, even when the notice goes out again', async () => {
    ({ ticket, chat } = await filed('Calls drop after 30 minutes'));
    await staff(ticket.id, { kind: 'take' });
    const resolved = await staff(ticket.id, { kind: 'resolve', text: 'The session timer is fixed.' });
    const texts = inChat(chat);
    const notice = texts.findIndex((t) => t.includes(`Resolved · ${ticket.id}`));
    const asked = texts.findIndex((t) => t.includes(`How did we do on ${ticket.id}?`));
    expect(notice).toBeGreaterThanOrEqual(0);
    expect(asked).toBeGreaterThan(notice);
    // A second delivery of the same resolution notice (the repair pass, another instance) asks nothing more.
    const timeline = await app.tickets.timeline({ kind: 'staff' }, ticket.id);
    if (!timeline.ok) throw timeline.error;
    const event = timeline.value.events.find((e) => e.type === 'resolved');
    if (event === undefined) throw new Error('no resolved event');
    await deliverToCustomer(app.deps, resolved, event);
    await app.background.drain();
    expect(ratingCards(chat)).toHaveLength(1);
    card = ratingCards(chat)[0] ?? {};
    const json = JSON.stringify(card);
    for (const label of ['1 – very poor', '2 – poor', '3 – okay', '4 – good', '5 – excellent'])
      expect(json).toContain(label);
    expect(json).toContain('Comment (optional)');
    expect(cardText(card)).toContain('until Sun 13 Dec 14:05');
    const t = await stored(ticket.id);
    expect(t.ratings).toHaveLength(1);
    expect(t.ratings?.[0]).toMatchObject({
      resolvedAt: t.resolvedAt,
      priority: 'P2',
      owner: { id: ENGINEER.id, name: ENGINEER.name },
    });
    expect(t.ratings?.[0]?.score).toBeUndefined();
  });

  it('takes a rating, shows it in the timeline and on the root card, and updates the card in place', async () => {
    const answer = await press({ ...submitData(card), score: '4', comment: 'Quick and clear.' });
    expect(answer.text).toContain('You rated 4 of 5 — thank you. You can change it until Sun 13 Dec 14:05');
    const t = await stored(ticket.id);
    expect(t.ratings?.[0]).toMatchObject({
      score: 4,
      comment: 'Quick and clear.',
      by: { name: 'Megan Bowen' },
    });
    const mine = await app.tickets.timeline({ kind: 'tenant', tenantId: CONTOSO }, ticket.id);
    if (!mine.ok) throw mine.error;
    const rated = mine.value.events.filter((e) => e.type === 'rated');
    expect(rated).toHaveLength(1);
    expect(rated[0]).toMatchObject({
      text: 'Quick and clear.',
      data: { score: 4, resolvedAt: t.resolvedAt },
    });
    const root = connector.current(t.thread?.activityId ?? '');
    expect(cardText(cardsOf(root)[0])).toContain('Rated 4/5');
    // A 4 is not posted in the thread.
    expect(inThread(t).some((l) => l.includes('was rated'))).toBe(false);
  });

  it('changes within 7 days: a low rating is posted in the thread, with its comment', async () => {
    clock.now += 3 * DAY;
    const answer = await press({ ...submitData(card), score: '2', comment: 'It broke again on Monday.' });
    expect(answer.text).toContain('You rated 2 of 5 — thank you.');
    const t = await stored(ticket.id);
    expect(t.ratings?.[0]).toMatchObject({ score: 2, comment: 'It broke again on Monday.' });
    expect(inThread(t)).toContain(
      `The rating of ${ticket.id} changed from 4 to 2 of 5 by Megan Bowen: It broke again on Monday.`,
    );
    expect(cardText(cardsOf(connector.current(t.thread?.activityId ?? ''))[0])).toContain('Rated 2/5');
    // The same answer again changes nothing and posts nothing.
    const before = inThread(t).length;
    await press({ ...submitData(card), score: '2', comment: 'It broke again on Monday.' });
    expect(inThread(await stored(ticket.id))).toHaveLength(before);
  });

  it('refuses bad values, another tenant and forged card data, changing nothing', async () => {
    const before = await stored(ticket.id);
    for (const score of ['0', '6', 'x', '2.5', ''])
      expect((await press({ ...submitData(card), score })).message).toBe(
        'Choose a rating from 1 (very poor) to 5 (excellent). Nothing was changed.',
      );
    const long = await press({ ...submitData(card), score: '3', comment: 'x'.repeat(1001) });
    expect(long.message).toContain('Nothing was changed.');
    expect(long.message).toMatch(/1,?000/);
    const other = await press({ ...submitData(card), score: '1' }, fabrikam);
    const missing = await press({ ...submitData(card), ticketId: 'TM-999999', score: '1' }, fabrikam);
    expect(other.message).toBe(missing.message?.replace('TM-999999', ticket.id));
    expect(other.message).toBe(`No ticket ${ticket.id} was found for your organisation.`);
    const forged = await press({
      ...submitData(card),
      resolvedAt: Number(before.resolvedAt) - 1,
      score: '5',
    });
    expect(forged.message).toBe(
      `That rating card does not match a resolution of ${ticket.id}. Nothing was changed.`,
    );
    const after = await stored(ticket.id);
    expect(after.version).toBe(before.version);
    expect(after.ratings).toEqual(before.ratings);
  });

  it('refuses a change after 7 days with the date it closed', async () => {
    const t = await stored(ticket.id);
    clock.now = Number(t.resolvedAt) + 7 * DAY + 60_000;
    const late = await press({ ...submitData(card), score: '5' });
    expect(late.message).toBe(
      `Ratings for ${ticket.id} can be changed for 7 days after it was resolved (until Sun 13 Dec 2026 14:05 ET); this one can no longer be changed.`,
    );
    expect((await stored(ticket.id)).ratings?.[0]?.score).toBe(2);
  });

  it('asks again after a reopen and a second resolution, keeping the first rating', async () => {
    const first = (await stored(ticket.id)).ratings?.[0];
    await staff(ticket.id, { kind: 'reopen', reason: 'It broke again' });
    const again = await staff(ticket.id, { kind: 'resolve', text: 'Fixed for good.' });
    const cards = ratingCards(chat);
    expect(cards).toHaveLength(2);
    const second = submitData(cards[1] ?? {});
    expect(second['resolvedAt']).toBe(again.resolvedAt);
    const answer = await press({ ...second, score: '5' });
    expect(answer.text).toContain('You rated 5 of 5 — thank you.');
    const t = await stored(ticket.id);
    expect(t.ratings).toHaveLength(2);
    expect(t.ratings?.[0]).toEqual(first);
    expect(t.ratings?.[1]).toMatchObject({ resolvedAt: again.resolvedAt, score: 5 });
  });
});
