// Taking a paged P1 stops the on-call chain: over real HTTP (the tab's API with Teams SSO tokens, the channel's
// card buttons), a real Azurite, the fake Bot Connector and the watcher on a test clock. Also the tab's
// Acknowledge page action (the page card's command), and that assigning does not acknowledge.
import type { App } from '../../src/app';
import type { TicketDetail } from '../../src/adapters/api/contract';
import { et } from '../fixtures';
import { actionExecute, post } from '../support/activities';
import type { TestClock } from '../support/app';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, MANAGER, STAFF_TENANT } from '../support/tab';
import { BOB, StaffDesk } from '../support/staff-world';

const MIN = 60_000;
let connector: FakeConnector;
let app: App;
// Saturday morning: outside support hours, so a P1 pages the on-call chain.
const clock: TestClock = { now: et('2026-11-28 07:00') };
const desk = new StaffDesk({
  clock,
  sso: true,
  env: {
    STAFF_ENGINEERS: `${ENGINEER}=Eddie Engineer;${BOB}=Bob Engineer`,
    ONCALL_ROTATION: JSON.stringify({
      start: '2026-11-23',
      handover: '09:00',
      weeks: [{ primary: BOB, secondary: ENGINEER }],
    }),
  },
});
const { cards, staffIn, token, call, fresh, watch, pages, paged } = desk;

beforeAll(async () => {
  ({ app, connector } = await desk.start());
});
afterAll(async () => {
  await desk.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const manager = () => token(STAFF_TENANT, MANAGER);
const customer = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');

const actOn = (id: string, body: Record<string, unknown>, t = manager()) =>
  call<TicketDetail & { error?: { message: string } }>('POST', `/api/tickets/${id}/actions`, t, {
    requestId: fresh(),
    ...body,
  });
const detail = (id: string, t = manager()) => call<TicketDetail>('GET', `/api/tickets/${id}`, t);

/** Posts in the support channel that say nobody was reached about the ticket. */
const alarms = (id: string): number =>
  connector
    .sent()
    .filter((r) => JSON.stringify(r.activity ?? {}).includes('Nobody reached'))
    .filter((r) => JSON.stringify(r.activity ?? {}).includes(id)).length;

async function pageLines(id: string): Promise<string[]> {
  const got = await app.tickets.timeline({ kind: 'staff' }, id);
  if (!got.ok) throw got.error;
  return got.value.events
    .filter((e) => e.type === 'page-acknowledged')
    .map((e) => `${e.actor.name}: ${e.text ?? ''}`);
}

/** Runs the watcher past the secondary's (15 min) and the manager's (30 min) steps, and an hour on. */
async function pastTheChain(start: number): Promise<void> {
  await watch(start + 15 * MIN);
  await watch(start + 30 * MIN);
  await watch(start + 90 * MIN);
}

describe('taking a paged P1 acknowledges the page', () => {
  it('from the tab: no further pages, the timeline says why', async () => {
    const start = et('2026-11-28 07:30');
    const t = await paged(start);
    const before = await detail(t.id);
    expect(before.status).toBe(200);
    expect(before.body.ticket.pageAwaitingAck).toBe(start);
    clock.now = start + 8 * MIN;
    const took = await actOn(t.id, { action: 'take' });
    expect(took.status).toBe(200);
    expect(took.body.ticket.owner?.name).toBe('Maria Manager');
    expect(took.body.ticket.pageAwaitingAck).toBeNull();
    expect(took.body.timeline.map((e) => e.text)).toContain('Maria Manager took the ticket');
    await pastTheChain(start);
    expect(pages(t.id)).toEqual(['primary']);
    expect(alarms(t.id)).toBe(0);
    expect(await pageLines(t.id)).toEqual(['Maria Manager: Maria Manager took the ticket']);
  });

  it('from the channel: the root card Take stops the chain the same way', async () => {
    const start = et('2026-11-28 10:00');
    const t = await paged(start);
    const root = t.thread?.activityId ?? '';
    clock.now = start + 5 * MIN;
    const res = await post(
      `${app.url}/api/messages`,
      actionExecute(
        'staff.take',
        { verb: 'staff.take', ticketId: t.id },
        { ...staffIn(ENGINEER, 'Eddie', root), replyToId: root },
      ),
    );
    expect(res.status).toBe(200);
    cards.push((res.body as { value?: unknown }).value);
    await pastTheChain(start);
    expect(pages(t.id)).toEqual(['primary']);
    expect(await pageLines(t.id)).toEqual(['Eddie Engineer: Eddie Engineer took the ticket']);
    const root2 = cardsOf(connector.current(root))[0];
    cards.push(root2);
    expect(cardText(root2)).toContain('Eddie Engineer took the ticket');
  });

  it('the first reply that takes ownership acknowledges too', async () => {
    const start = et('2026-11-28 13:00');
    const t = await paged(start);
    clock.now = start + 3 * MIN;
    const replied = await actOn(t.id, { action: 'reply', text: 'We are on it.' });
    expect(replied.status).toBe(200);
    await pastTheChain(start);
    expect(pages(t.id)).toEqual(['primary']);
    expect(await pageLines(t.id)).toEqual([
      'Maria Manager: Maria Manager took the ticket with the first reply',
    ]);
  });

  it('assigning to someone else does not: the assignee has not seen it', async () => {
    const start = et('2026-11-28 16:00');
    const t = await paged(start);
    clock.now = start + 2 * MIN;
    const assigned = await actOn(t.id, { action: 'assign', to: ENGINEER });
    expect(assigned.status).toBe(200);
    expect(assigned.body.ticket.pageAwaitingAck).toBe(start);
    await watch(start + 15 * MIN);
    expect(pages(t.id)).toEqual(['primary', 'secondary']);
    expect(await pageLines(t.id)).toEqual([]);
  });
});

describe('Acknowledge page from the tab', () => {
  it('is the page card command: the chain stops; a second one, or one with no page, is refused', async () => {
    const start = et('2026-11-28 19:00');
    const t = await paged(start);
    clock.now = start + 4 * MIN;
    const acked = await actOn(t.id, { action: 'acknowledge' });
    expect(acked.status).toBe(200);
    expect(acked.body.ticket.pageAwaitingAck).toBeNull();
    expect(acked.body.ticket.owner).toBeNull();
    await pastTheChain(start);
    expect(pages(t.id)).toEqual(['primary']);
    expect(await pageLines(t.id)).toEqual(['Maria Manager: Acknowledged by Maria Manager']);
    const again = await actOn(t.id, { action: 'acknowledge' });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toBe(`No page of ${t.id} is waiting for acknowledgement.`);
    expect(await pageLines(t.id)).toHaveLength(1);
  });

  it('is refused to customers, who never see a page waiting', async () => {
    const start = et('2026-11-29 02:00');
    const t = await paged(start);
    const mine = await detail(t.id, customer());
    expect(mine.status).toBe(200);
    expect(mine.body.ticket.pageAwaitingAck).toBeNull();
    const refused = await actOn(t.id, { action: 'acknowledge' }, customer());
    expect(refused.status).toBe(403);
    expect(await pageLines(t.id)).toEqual([]);
  });
});

describe('the channel cards after an acknowledgement', () => {
  /** The cards of the channel posts whose summary is one of these, as they stand now. */
  const posted = (summaries: readonly string[]) =>
    connector
      .sent()
      .filter((r) => summaries.includes(r.activity?.summary ?? ''))
      .map((r) => {
        const card = cardsOf(connector.current(r.id ?? ''))[0] ?? {};
        cards.push(card);
        return card;
      });

  it('lose their Acknowledge button: the page card and both "nobody reached" alarms say why', async () => {
    const lift = connector.refuse({
      only: 'createConversation',
      member: BOB,
      status: 403,
      code: 'BotDisabledByAdmin',
      message: 'The bot is blocked by the user.',
    });
    try {
      const start = et('2026-11-29 05:00');
      const t = await paged(start);
      await watch(start + MIN);
      const summaries = [
        `${t.id}: page, primary`,
        `${t.id}: nobody reached`,
        `${t.id}: nobody reached (managers)`,
      ];
      const before = posted(summaries);
      expect(before).toHaveLength(3);
      for (const c of before) expect(JSON.stringify(c)).toContain('page.ack');
      clock.now = start + 5 * MIN;
      expect((await actOn(t.id, { action: 'take' })).status).toBe(200);
      await app.background.drain();
      await watch(start + 5 * MIN);
      const after = posted(summaries);
      expect(after).toHaveLength(3);
      for (const c of after) {
        expect(JSON.stringify(c)).not.toContain('page.ack');
        expect(cardText(c)).toContain('Page acknowledged: Maria Manager took the ticket.');
      }
    } finally {
      lift();
    }
  });

  it('and after a resolution, say it was resolved', async () => {
    const start = et('2026-11-29 08:00');
    const t = await paged(start);
    clock.now = start + 6 * MIN;
    expect((await actOn(t.id, { action: 'resolve', text: 'Carrier fixed the trunk.' })).status).toBe(200);
    await app.background.drain();
    await watch(start + 6 * MIN);
    const [page] = posted([`${t.id}: page, primary`]);
    expect(JSON.stringify(page)).not.toContain('page.ack');
    expect(cardText(page)).toContain('Resolved by Maria Manager: nobody needs to acknowledge.');
  });
});
