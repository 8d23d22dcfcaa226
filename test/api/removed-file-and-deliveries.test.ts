// Two truths the tab tells over real HTTP: a file a manager removed is shown to the customer as "x was removed
// by support" (never the reason or the manager), and its "File added" line is marked removed; and after a
// staff action, GET /api/tickets/:id/deliveries says whether each customer message reached their chat.
import { Readable } from 'node:stream';
import type { App } from '../../src/app';
import type { Deliveries, TicketDetail } from '../../src/adapters/api/contract';
import type { Actor } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { ann } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({ clock, sso: true });
const { token, call, file, fresh } = desk;
let app: App;
let connector: FakeConnector;

beforeAll(async () => {
  ({ app, connector } = await desk.start());
});
afterAll(() => desk.stop());

const engineer = () => token(STAFF_TENANT, ENGINEER);
const customer = () => token(CONTOSO, 'cccccccc-0000-4000-8000-000000000001');
const MIA: Actor = { id: MANAGER, name: 'Mia Manager', role: 'manager' };

describe('a file removed by a manager', () => {
  it('the customer reads "removed by support" without the reason; staff keep the reason', async () => {
    const { ticket: t } = await file({ title: 'Error dialog on login' });
    const bytes = Buffer.from('not really a png');
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: t.id,
        actor: ann,
        name: 'screenshot-error.png',
        source: 'chat',
        declaredSize: bytes.length,
        body: Readable.from([bytes]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    const removed = await app.attachments.remove(MIA, t.id, added.value.id, 'Shows a password', clock.now);
    if (!removed.ok) throw removed.error;

    const mine = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, customer());
    expect(mine.status).toBe(200);
    const gone = mine.body.timeline.filter((e) => e.type === 'attachment-removed');
    expect(gone).toEqual([
      expect.objectContaining({
        text: 'screenshot-error.png was removed by support',
        by: 'Support',
        internal: false,
        data: { name: 'screenshot-error.png', attachmentId: added.value.id },
      }),
    ]);
    expect(JSON.stringify(mine.body)).not.toContain('Shows a password');
    expect(JSON.stringify(mine.body)).not.toContain('Mia Manager');
    const addedLine = mine.body.timeline.find((e) => e.type === 'attachment-added');
    expect(addedLine?.data?.['removed']).toBe(true);

    const staff = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    const staffLine = staff.body.timeline.find((e) => e.type === 'attachment-removed');
    expect(staffLine?.internal).toBe(true);
    expect(staffLine?.text).toContain('Shows a password');
  });
});

describe('GET /api/tickets/:id/deliveries', () => {
  const reply = async (id: string, text: string): Promise<TicketDetail> => {
    const r = await call<TicketDetail>('POST', `/api/tickets/${id}/actions`, engineer(), {
      action: 'reply',
      text,
      requestId: fresh(),
    });
    expect(r.status).toBe(200);
    return r.body;
  };
  const last = (d: TicketDetail): number => Math.max(...d.timeline.map((e) => e.seq));

  it('says a delivered reply was delivered, and a refused one why, with whom to call', async () => {
    const { ticket: t, chat } = await file({ title: 'Headset echo' });
    const before = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    const since = last(before.body);
    await reply(t.id, 'Looking into it.');
    await app.background.drain();
    const ok = await call<Deliveries>('GET', `/api/tickets/${t.id}/deliveries?since=${since}`, engineer());
    expect(ok.status).toBe(200);
    expect(ok.body.deliveries).toEqual([
      expect.objectContaining({ state: 'delivered', text: "Delivered to the customer's chat." }),
    ]);

    const lift = connector.refuse({
      conversationId: chat,
      status: 403,
      code: 'BotDisabledByAdmin',
      message: 'The bot is blocked by the user.',
    });
    try {
      const seen = last(await reply(t.id, 'Second try.'));
      await app.background.drain();
      const bad = await call<Deliveries>(
        'GET',
        `/api/tickets/${t.id}/deliveries?since=${seen - 1}`,
        engineer(),
      );
      expect(bad.body.deliveries.map((d) => [d.seq, d.state])).toEqual([[seen, 'failed']]);
      expect(bad.body.deliveries[0]?.text).toMatch(
        /^Not delivered to the customer's chat: SLA Desk is blocked or turned off for them\. (Call|Phone)/,
      );
    } finally {
      lift();
    }
  });

  it('is for staff only, and checks since', async () => {
    const { ticket: t } = await file({ title: 'Dial tone missing' });
    const refused = await call('GET', `/api/tickets/${t.id}/deliveries?since=0`, customer());
    expect(refused.status).toBe(403);
    const bad = await call('GET', `/api/tickets/${t.id}/deliveries?since=-1`, engineer());
    expect(bad.status).toBe(400);
    const none = await call<Deliveries>('GET', `/api/tickets/${t.id}/deliveries?since=9999`, engineer());
    expect(none.body.deliveries).toEqual([]);
  });
});
