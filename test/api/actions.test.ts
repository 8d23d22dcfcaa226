// Staff act on tickets from the tab, over real HTTP with Teams SSO tokens, a real Azurite and the fake Bot
// Connector: each action changes the ticket through the channel's commands, shows in the timeline as done
// from the tab, updates the root card in the support channel and tells the customer what they must hear.
// A customer can do none of it (403, audited); a stale version or a concurrent take is refused saying who won.
import type { App } from '../../src/app';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import type { Ticket } from '../../src/domain/tickets/model';
import type { BulkResults, TicketDetail } from '../../src/adapters/api/contract';
import { et } from '../fixtures';
import { actionExecute, post } from '../support/activities';
import type { TestClock } from '../support/app';
import { cardProblems, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, FABRIKAM, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk, type Answer } from '../support/staff-world';

let connector: FakeConnector;
let app: App;
// Wednesday morning, inside support hours.
const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({ clock, sso: true });
const { cards, staffIn, token, call, fresh, stored, file, rootText, toCustomer } = desk;

beforeAll(async () => {
  ({ app, connector } = await desk.start());
});
afterAll(async () => {
  await desk.stop();
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
});

const engineer = () => token(STAFF_TENANT, ENGINEER);
const manager = () => token(STAFF_TENANT, MANAGER);
const ANN = 'cccccccc-0000-4000-8000-000000000001';
const contoso = () => token(CONTOSO, ANN);
const fabrikam = () => token(FABRIKAM, 'ffffffff-0000-4000-8000-000000000001');

/** An action from the tab with a fresh request id. */
function actOn(id: string, body: Record<string, unknown>, t = engineer()): Promise<Answer<TicketDetail>> {
  return call<TicketDetail>('POST', `/api/tickets/${id}/actions`, t, { requestId: fresh(), ...body });
}

describe('each action from the tab', () => {
  let t: Ticket;
  let chat = '';
  beforeAll(async () => {
    clock.now = et('2026-11-25 08:00');
    ({ ticket: t, chat } = await file({ priority: 'P3', title: 'Numbers for the new office' }));
  });

  it.each([
    // [what, body, event type, root card says, the customer is told (card title) or null]
    ['take', { action: 'take' }, 'owner-changed', 'Owner: Eddie Engineer', null],
    [
      'reply',
      { action: 'reply', text: 'Looking at it now.' },
      'engineer-reply',
      '· Responded ·',
      'Support replied',
    ],
    [
      'note',
      { action: 'note', text: 'Carrier ticket 4711 opened.' },
      'internal-note',
      'Owner: Eddie Engineer',
      null,
    ],
    [
      'ask',
      { action: 'ask', text: 'Which numbers exactly?' },
      'info-requested',
      '· Waiting on customer ·',
      'Support needs information',
    ],
    [
      'priority',
      { action: 'priority', to: 'P2', reason: 'More users affected' },
      'priority-changed',
      '· P2 ·',
      'Priority changed',
    ],
    ['assign', { action: 'assign', to: MANAGER }, 'owner-changed', 'Owner: Maria Manager', null],
    [
      'workaround',
      { action: 'workaround', text: 'Use the old numbers for now.' },
      'workaround-delivered',
      '· Work-around delivered ·',
      'Work-around',
    ],
    [
      'fix',
      { action: 'fix', release: '2026.12', text: 'Fixed in provisioning.' },
      'fix-recorded',
      'Work-around delivered',
      'Permanent fix',
    ],
    ['resolve', { action: 'resolve', text: 'All numbers work.' }, 'resolved', '· Resolved ·', 'Resolved'],
    [
      'reopen',
      { action: 'reopen', reason: 'One number still fails' },
      'reopened',
      '· Reopened ·',
      'Reopened',
    ],
  ] as const)(
    '%s changes the ticket, the timeline, the root card and what the customer hears',
    async (_name, body, type, root, told) => {
      clock.now += 5 * 60_000;
      const before = await stored(t.id);
      connector.clear();
      const res = await actOn(t.id, { ...body, version: before.version });
      expect(res.status).toBe(200);
      expect(res.body.ticket.version).toBe(before.version + 1);
      const last = res.body.timeline[res.body.timeline.length - 1];
      expect(last).toMatchObject({ type, via: 'tab', at: clock.now });
      expect(last?.by).toBe('Eddie Engineer');
      await app.background.drain();
      const after = await stored(t.id);
      // A resolution asks the customer for a rating after the answer: the ask and, once Teams took the card,
      // its sending are the only later changes.
      const rating = type === 'resolved' ? ['rating-asked', 'rating-sent'] : [];
      expect(after.version).toBe(before.version + 1 + rating.length);
      expect(after.ratings?.length ?? 0).toBe((before.ratings?.length ?? 0) + rating.length / 2);
      expect(
        connector
          .requests()
          .some((r) => r.operation === 'updateActivity' && r.activityId === after.thread?.activityId),
      ).toBe(true);
      expect(rootText(after)).toContain(root);
      const heard = toCustomer(chat);
      if (told === null) expect(heard).toEqual([]);
      else {
        // A resolution is followed by its rating card.
        expect(heard).toHaveLength(1 + rating.length / 2);
        expect(heard[0]).toContain(`${told} · ${t.id}`);
        if (rating.length > 0) expect(heard[1]).toContain(`How did we do on ${t.id}?`);
        if ('text' in body) expect(heard[0]).toContain(body.text);
      }
    },
  );

  it('the timeline says where each was done, and the GET shows the same', async () => {
    const res = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    const fromTab = res.body.timeline.filter((e) => e.via === 'tab').map((e) => e.type);
    expect(fromTab).toEqual([
      'owner-changed',
      'engineer-reply',
      'internal-note',
      'info-requested',
      'priority-changed',
      'owner-changed',
      'workaround-delivered',
      'fix-recorded',
      'resolved',
      'reopened',
    ]);
    expect(res.body.timeline[0]).toMatchObject({ type: 'created', via: null });
    // The root card's last events say so too.
    expect(rootText(await stored(t.id))).toContain('**Reopened** · Eddie Engineer (from the tab) · ');
    expect(rootText(await stored(t.id))).not.toContain('Ann Customer (from the tab)');
    // The customer sees the same events, without the internal ones.
    const theirs = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, contoso());
    expect(theirs.body.timeline.some((e) => e.type === 'internal-note')).toBe(false);
    expect(theirs.body.timeline.some((e) => e.type === 'engineer-reply' && e.via === 'tab')).toBe(true);
  });

  it('a retry with the same request id does nothing twice', async () => {
    const before = await stored(t.id);
    const body = { action: 'note', text: 'Only once', requestId: 'retry-1' };
    const a = await call<TicketDetail>('POST', `/api/tickets/${t.id}/actions`, engineer(), body);
    const b = await call<TicketDetail>('POST', `/api/tickets/${t.id}/actions`, engineer(), body);
    expect([a.status, b.status]).toEqual([200, 200]);
    const after = await stored(t.id);
    expect(after.version).toBe(before.version + 1);
    expect(b.body.timeline.filter((e) => e.text === 'Only once')).toHaveLength(1);
  });

  it('a stale version is refused with who changed the ticket, and nothing changes', async () => {
    const before = await stored(t.id);
    const res = await actOn(t.id, { action: 'reply', text: 'Too late', version: before.version - 1 });
    expect(res.status).toBe(409);
    const err = (res.body as unknown as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('STALE_TICKET');
    expect(err.message).toContain(`Eddie Engineer ${before.lastChange.what} first (${t.id}`);
    const after = await stored(t.id);
    expect(after.version).toBe(before.version);
    expect(after.eventCount).toBe(before.eventCount);
  });
});

describe('what makes a version stale', () => {
  it('only a person: the app’s own records since (a page, a delivery) do not', async () => {
    const { ticket } = await file({ priority: 'P2', title: 'Seen before the app wrote' });
    const recorded = await app.tickets.act(
      { kind: 'staff' },
      ticket.id,
      { id: 'sla-desk', name: 'SLA Desk', role: 'system' },
      { kind: 'record', type: 'warning-sent', text: 'Response 50 % used', data: { key: 'response:50' } },
    );
    if (!recorded.ok) throw recorded.error;
    expect(recorded.value.ticket.version).toBe(ticket.version + 1);
    const taken = await actOn(ticket.id, { action: 'take', version: ticket.version });
    expect(taken.status).toBe(200);
    expect(taken.body.ticket.owner?.name).toBe('Eddie Engineer');
    // Now a person changed it since that version: refused, naming them, not the app.
    const stale = await actOn(ticket.id, { action: 'note', text: 'late', version: ticket.version });
    expect(stale.status).toBe(409);
    expect((stale.body as unknown as { error: { message: string } }).error.message).toMatch(
      new RegExp(`^Eddie Engineer took ownership first \\(${ticket.id}, `),
    );
  });
});

describe('a take from the tab and from the channel at once', () => {
  it('gives one owner; the other is told who owns it', async () => {
    const { ticket } = await file({ priority: 'P2', title: 'Transfers fail' });
    const root = ticket.thread?.activityId ?? '';
    clock.now += 60_000;
    const [tab, channel] = await Promise.all([
      actOn(ticket.id, { action: 'take', version: ticket.version }),
      post(
        `${app.url}/api/messages`,
        actionExecute(
          'staff.take',
          { verb: 'staff.take', ticketId: ticket.id },
          { ...staffIn(MANAGER, 'Maria', root), replyToId: root },
        ),
      ),
    ]);
    const card = (channel.body as { value?: unknown }).value;
    cards.push(card);
    const owner = (await stored(ticket.id)).owner?.name;
    expect(['Eddie Engineer', 'Maria Manager']).toContain(owner);
    if (owner === 'Eddie Engineer') {
      expect(tab.status).toBe(200);
      expect(cardText(card)).toContain(`Eddie Engineer already took ownership of ${ticket.id}`);
    } else {
      expect(tab.status).toBe(409);
      const message = (tab.body as unknown as { error: { message: string } }).error.message;
      expect(message).toMatch(/^Maria Manager (already took ownership|took ownership first)/);
    }
    await app.background.drain();
    const events = await app.tickets.timeline({ kind: 'staff' }, ticket.id);
    if (!events.ok) throw events.error;
    expect(events.value.events.filter((e) => e.type === 'owner-changed')).toHaveLength(1);
  });
});

describe('customers', () => {
  const ROUTES: readonly [string, 'GET' | 'POST', unknown][] = [
    ...['take', 'assign', 'reply', 'ask', 'priority', 'workaround', 'fix', 'resolve', 'reopen', 'note'].map(
      (action): [string, 'POST', unknown] => [
        '/actions',
        'POST',
        { action, requestId: `c-${action}`, text: 'x', to: 'P1', reason: 'x', release: '1' },
      ],
    ),
    ['/priority-preview?to=P1', 'GET', undefined],
  ];

  it('get 403 on every action route, the same for their own and another tenant’s ticket, audited', async () => {
    const { ticket } = await file({ priority: 'P3', title: 'Customer tries' });
    const before = await stored(ticket.id);
    const audited = async () =>
      (await app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10))).filter(
        (e) => e.outcome === 'refused' && e.action.startsWith('api.'),
      ).length;
    const count = await audited();
    const answers: Answer[] = [];
    for (const t of [contoso(), fabrikam()]) {
      for (const [suffix, method, body] of ROUTES)
        answers.push(await call(method, `/api/tickets/${ticket.id}${suffix}`, t, body));
      answers.push(
        await call('POST', '/api/tickets/bulk', t, { action: 'take', ids: [ticket.id], requestId: 'b' }),
      );
      answers.push(await call('GET', '/api/staff', t));
    }
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toEqual({ error: { code: 'FORBIDDEN', message: 'Only support staff can do that.' } });
    }
    expect(await audited()).toBe(count + answers.length);
    const day = await app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10));
    expect(day).toContainEqual(
      expect.objectContaining({ action: 'api.ticket.action', tenantId: FABRIKAM, target: ticket.id }),
    );
    const after = await stored(ticket.id);
    expect(after.version).toBe(before.version);
  });
});

describe('hostile input', () => {
  it.each([
    ['an unknown action', { action: 'delete' }, 'action'],
    ['no action', {}, 'action'],
    ['no request id', { action: 'take', requestId: undefined }, 'requestId'],
    ['a bad request id', { action: 'take', requestId: 'a b/c' }, 'requestId'],
    ['text that is not text', { action: 'reply', text: 5 }, 'text'],
    ['empty text', { action: 'reply', text: '   ' }, 'text'],
    ['text over the limit', { action: 'reply', text: 'x'.repeat(8001) }, 'text'],
    ['huge text', { action: 'note', text: 'x'.repeat(40_000) }, 'text'],
    ['an unknown priority', { action: 'priority', to: 'P0', reason: 'x' }, 'to'],
    ['a priority without reason', { action: 'priority', to: 'P1' }, 'reason'],
    ['an owner who is not staff', { action: 'assign', to: ANN }, 'to'],
    ['a fix without release', { action: 'fix' }, 'release'],
    ['an extra field', { action: 'take', admin: true }, ''],
    ['a version that is not a number', { action: 'take', version: '3' }, 'version'],
  ])('%s: 400 naming the field, nothing changed', async (_name, body, field) => {
    const { ticket } = await file({ title: 'Hostile' });
    const res = await call('POST', `/api/tickets/${ticket.id}/actions`, engineer(), {
      requestId: fresh(),
      ...body,
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: { field?: string } }).error.field ?? '').toBe(field);
    expect((await stored(ticket.id)).version).toBe(ticket.version);
  });

  it('bad ids, bodies that are not JSON objects and oversized bodies are refused', async () => {
    const { ticket } = await file({ title: 'Hostile bodies' });
    const take = (id: string) =>
      call('POST', `/api/tickets/${id}/actions`, engineer(), { action: 'take', requestId: 'r' });
    for (const id of ['x', 'TM-1..', 'TM-1%2F..', '%00', 'TM-1%3Cscript%3E', 'A'.repeat(90)])
      expect([id, (await take(id)).status]).toEqual([id, 400]);
    // A path part over the router's length limit matches no route.
    expect((await take('A'.repeat(300))).status).toBe(404);
    expect(
      (await call('POST', `/api/tickets/TM-999999/actions`, engineer(), { action: 'take', requestId: 'r' }))
        .status,
    ).toBe(404);
    expect(
      (await call('POST', `/api/tickets/${ticket.id}/actions`, engineer(), undefined, '"take"')).status,
    ).toBe(400);
    expect(
      (await call('POST', `/api/tickets/${ticket.id}/actions`, engineer(), undefined, '[1,2]')).status,
    ).toBe(400);
    expect(
      (await call('POST', `/api/tickets/${ticket.id}/actions`, engineer(), undefined, '{bad json')).status,
    ).toBe(400);
    const big = await call('POST', `/api/tickets/${ticket.id}/actions`, engineer(), {
      action: 'note',
      requestId: 'big',
      text: 'x'.repeat(70 * 1024),
    });
    expect(big.status).toBe(413);
    expect((await stored(ticket.id)).version).toBe(ticket.version);
  });
});

describe('bulk take and assign', () => {
  it('takes three tickets, one already owned: a result per ticket', async () => {
    const a = (await file({ title: 'Bulk A' })).ticket;
    const b = (await file({ title: 'Bulk B' })).ticket;
    const c = (await file({ title: 'Bulk C' })).ticket;
    expect((await actOn(b.id, { action: 'take' }, manager())).status).toBe(200);
    const res = await call<BulkResults>('POST', '/api/tickets/bulk', engineer(), {
      action: 'take',
      ids: [a.id, b.id, c.id, a.id.toLowerCase()],
      requestId: 'bulk-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.id, r.ok])).toEqual([
      [a.id, true],
      [b.id, false],
      [c.id, true],
    ]);
    const [ra, rb, rc] = res.body.results;
    if (ra?.ok !== true || rc?.ok !== true || rb?.ok !== false) throw new Error('unexpected results');
    expect(ra.row.owner?.name).toBe('Eddie Engineer');
    expect(rc.row.owner?.name).toBe('Eddie Engineer');
    expect(rb).toMatchObject({ code: 'STALE_TICKET' });
    expect(rb.message).toContain(`Maria Manager already took ownership of ${b.id}`);
    // Sent again (a lost answer): nothing happens twice.
    const again = await call<BulkResults>('POST', '/api/tickets/bulk', engineer(), {
      action: 'take',
      ids: [a.id, b.id, c.id],
      requestId: 'bulk-1',
    });
    expect(again.body.results.map((r) => r.ok)).toEqual([true, false, true]);
    expect((await stored(a.id)).version).toBe(ra.row.version);
    await app.background.drain();
    expect(rootText(await stored(a.id))).toContain('Owner: Eddie Engineer');
  });

  it('assigns to a person of the staff list; refuses more than 50 ids and bad ids', async () => {
    const a = (await file({ title: 'Bulk D' })).ticket;
    const res = await call<BulkResults>('POST', '/api/tickets/bulk', manager(), {
      action: 'assign',
      to: ENGINEER,
      ids: [a.id],
      requestId: 'bulk-2',
    });
    expect(res.body.results[0]).toMatchObject({
      id: a.id,
      ok: true,
      row: { owner: { name: 'Eddie Engineer' } },
    });
    const many = Array.from({ length: 51 }, (_x, i) => `TM-${i + 1}`);
    expect(
      (await call('POST', '/api/tickets/bulk', engineer(), { action: 'take', ids: many, requestId: 'x' }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/api/tickets/bulk', engineer(), { action: 'take', ids: [], requestId: 'x' }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/api/tickets/bulk', engineer(), { action: 'take', ids: ['../x'], requestId: 'x' }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/api/tickets/bulk', engineer(), { action: 'reply', ids: [a.id], requestId: 'x' }))
        .status,
    ).toBe(400);
  });
});

describe('priority preview', () => {
  it('shows the deadlines before and after, as the engine computes them at now', async () => {
    clock.now = et('2026-11-25 09:00');
    const { ticket } = await file({ priority: 'P3', title: 'Preview me' });
    clock.now = et('2026-11-25 10:30');
    const res = await call('GET', `/api/tickets/${ticket.id}/priority-preview?to=P1`, engineer());
    expect(res.status).toBe(200);
    // Independently: the engine itself, on the ticket's own facts.
    const engine = new SlaEngine(DEFAULT_POLICY);
    const input = { dispatched: et('2026-11-25 09:00'), priority: 'P3' as const, pauses: [], met: {} };
    const before = engine.evaluate({ ...input, changes: [] });
    const after = engine.evaluate({ ...input, changes: [{ at: et('2026-11-25 10:30'), to: 'P1' }] });
    expect(res.body).toEqual({
      from: 'P3',
      to: 'P1',
      targets: [
        {
          name: 'response',
          clock: after.response.basis.clock,
          dueBefore: before.response.due,
          dueAfter: after.response.due,
        },
        {
          name: 'workaround',
          clock: after.workaround.basis.clock,
          dueBefore: before.workaround.due,
          dueAfter: after.workaround.due,
        },
      ],
    });
    expect(after.response.due).not.toBe(before.response.due);
    // Confirming at the same instant gives exactly those deadlines.
    const done = await actOn(ticket.id, {
      action: 'priority',
      to: 'P1',
      reason: 'Outage',
      version: ticket.version,
    });
    expect(done.body.ticket.targets.map((x) => x.due)).toEqual([after.response.due, after.workaround.due]);
  });

  it('refuses what the change would refuse', async () => {
    const { ticket } = await file({ priority: 'P2', title: 'Preview refusals' });
    expect((await call('GET', `/api/tickets/${ticket.id}/priority-preview?to=P2`, engineer())).status).toBe(
      409,
    );
    expect((await call('GET', `/api/tickets/${ticket.id}/priority-preview?to=P9`, engineer())).status).toBe(
      400,
    );
    expect((await call('GET', `/api/tickets/${ticket.id}/priority-preview`, engineer())).status).toBe(400);
    expect((await call('GET', `/api/tickets/TM-999999/priority-preview?to=P1`, engineer())).status).toBe(404);
  });
});

describe('the staff list', () => {
  it('lists who can be assigned, with their roles', async () => {
    const res = await call('GET', '/api/staff', engineer());
    expect(res.status).toBe(200);
    expect(res.body['people']).toEqual(
      expect.arrayContaining([
        { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' },
        { id: MANAGER, name: 'Maria Manager', role: 'manager' },
      ]),
    );
  });
});
