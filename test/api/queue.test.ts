// The queue over real HTTP (local sign-in, real Azurite): open, resolved, closed or all tickets; dates as
// days of the support zone; search in descriptions, customer messages and replies, internal notes for staff
// only; every sort column both ways; paging; a customer never sees another tenant nor a note; bad input 400;
// a number searched as an id and as words; resolved and closed rows said apart.
import type { App } from '../../src/app';
import { clientFromConnectionString } from '../../src/adapters/storage/tables';
import { headRk, tenantPk } from '../../src/adapters/storage/ticket-keys';
import type { Ticket, TicketEvent } from '../../src/domain/tickets/model';
import { SEARCH_NOTES_MAX, SEARCH_TEXT_MAX, searchText } from '../../src/domain/tickets/search';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { act, CONTOSO, ENGINEER, FABRIKAM, getJson, MANAGER, seed, TAB_ENV } from '../support/tab';

interface Row {
  id: string;
  tenantId: string;
  customerName: string;
  priority: string;
  status: string;
  owner: { id: string; name: string } | null;
  updatedAt: number;
  next: { due: number | null } | null;
}

let azurite: TestAzurite;
let app: App;
const clock: TestClock = { now: et('2026-11-25 08:00') };
const t: Record<'closed' | 'open1' | 'resolved' | 'open2' | 'old', Ticket> = {} as never;
const tokens = new Map<string, string>();

/** Ann of Contoso writes in her chat. */
async function customerSays(id: string, tenantId: string, at: number, text: string): Promise<void> {
  clock.now = at;
  const said = await app.tickets.act(
    { kind: 'tenant', tenantId },
    id,
    { id: 'aad-ann', name: 'Ann Customer', role: 'customer' },
    { kind: 'customer-message', text },
  );
  if (!said.ok) throw said.error;
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  app = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
  t.closed = await seed(app, clock, et('2026-11-25 08:00'), {
    priority: 'P2',
    title: 'Transfers fail for two accounts',
  });
  await act(app, clock, et('2026-11-25 08:30'), t.closed.id, {
    kind: 'reply',
    text: 'Please restart the Zebrafish gateway and try again',
  });
  await act(app, clock, et('2026-11-26 09:00'), t.closed.id, { kind: 'resolve', text: 'Works now' });
  await act(app, clock, et('2026-11-27 10:00'), t.closed.id, { kind: 'close' });
  t.open1 = await seed(app, clock, et('2026-11-25 09:00'), {
    priority: 'P1',
    category: 'outage',
    title: 'No calls at all',
  });
  await customerSays(t.open1.id, CONTOSO, et('2026-11-25 09:05'), 'Our kiwi desk phones are dead too');
  await act(app, clock, et('2026-11-25 09:10'), t.open1.id, { kind: 'note', text: 'Carrier says quokka' });
  t.resolved = await seed(app, clock, et('2026-11-25 10:00'), {
    tenantId: FABRIKAM,
    customerName: 'Fabrikam',
    priority: 'P3',
    category: 'provisioning',
    title: 'Port two numbers',
    description: 'Two numbers from the walrus carrier need porting.',
  });
  await act(app, clock, et('2026-11-25 10:10'), t.resolved.id, { kind: 'take' });
  // 23:30 in New York is already the 27th in UTC: the support zone's day counts.
  await act(app, clock, et('2026-11-26 23:30'), t.resolved.id, { kind: 'resolve', text: 'Ported' });
  t.open2 = await seed(app, clock, et('2026-11-25 11:00'), {
    tenantId: FABRIKAM,
    customerName: 'Fabrikam',
    priority: 'P2',
    title: 'Voicemail delayed',
  });
  await act(app, clock, et('2026-11-25 11:05'), t.open2.id, {
    kind: 'assign',
    to: { id: MANAGER, name: 'Maria Manager' },
  });
  // A ticket as versions before search texts stored it: the head without st/sn.
  t.old = await seed(app, clock, et('2026-11-25 12:00'), { priority: 'P3', title: 'Fax line noisy' });
  await act(app, clock, et('2026-11-25 12:10'), t.old.id, {
    kind: 'reply',
    text: 'Swapped the platypus card',
  });
  const heads = clientFromConnectionString(azurite.connectionString, `${app.config.tablePrefix}tickets`);
  const head = await heads.getEntity(tenantPk(CONTOSO), headRk(t.old.id));
  const { st: _st, sn: _sn, ...rest } = head;
  await heads.updateEntity({ ...rest, partitionKey: tenantPk(CONTOSO), rowKey: headRk(t.old.id) }, 'Replace');
  clock.now = et('2026-11-28 10:00');
  await app.background.drain();
});
afterAll(async () => {
  await app.stop();
  await azurite.stop();
});

async function tokenFor(persona: string): Promise<string> {
  const known = tokens.get(persona);
  if (known !== undefined) return known;
  const res = await fetch(`${app.url}/api/auth/local/token?persona=${encodeURIComponent(persona)}`, {
    method: 'POST',
  });
  const token = ((await res.json()) as { access_token: string }).access_token;
  tokens.set(persona, token);
  return token;
}
const MANAGER_P = `manager:${MANAGER}`;
const ENGINEER_P = `engineer:${ENGINEER}`;
const CONTOSO_P = `customer:${CONTOSO}`;

async function queue(
  query: string,
  persona = MANAGER_P,
): Promise<{ status: number; rows: Row[]; body: Record<string, unknown> }> {
  const res = await getJson(`${app.url}/api/queue?${query}`, await tokenFor(persona));
  return { status: res.status, rows: (res.body['rows'] ?? []) as Row[], body: res.body };
}
const ids = async (query: string, persona = MANAGER_P): Promise<string[]> =>
  (await queue(query, persona)).rows.map((r) => r.id).sort();
const sorted = (...list: Ticket[]): string[] => list.map((x) => x.id).sort();

describe('states and dates', () => {
  it('shows open tickets by default; resolved, closed or all on request', async () => {
    expect(await ids('')).toEqual(sorted(t.open1, t.open2, t.old));
    expect(await ids('state=open')).toEqual(sorted(t.open1, t.open2, t.old));
    expect(await ids('state=resolved')).toEqual(sorted(t.resolved));
    expect(await ids('state=closed')).toEqual(sorted(t.closed));
    expect(await ids('state=resolved,closed')).toEqual(sorted(t.resolved, t.closed));
    expect(await ids('state=all')).toEqual(sorted(t.closed, t.open1, t.resolved, t.open2, t.old));
    expect((await queue('state=all')).body['complete']).toBe(true);
  });

  it('limits to tickets updated or resolved between two days of the support zone', async () => {
    // Resolved the 26th at 23:30 ET (the 27th in UTC): not updated the 27th in the support zone.
    expect(await ids('state=all&from=2026-11-27&to=2026-11-27')).toEqual(sorted(t.closed));
    expect(await ids('state=all&from=2026-11-29')).toEqual([]);
    expect(await ids('state=closed&to=2026-11-26')).toEqual([]);
    expect(await ids('state=closed&to=2026-11-27')).toEqual(sorted(t.closed));
    // Resolved the 26th at 23:30 ET (the 27th in UTC) is the 26th.
    expect(await ids('state=all&date=resolved&from=2026-11-26&to=2026-11-26')).toEqual(
      sorted(t.closed, t.resolved),
    );
    expect(await ids('state=all&date=resolved&from=2026-11-27')).toEqual([]);
  });

  it('a customer chooses states and dates too, and sees their own tenant only', async () => {
    expect(await ids('', CONTOSO_P)).toEqual(sorted(t.open1, t.old));
    expect(await ids('state=closed', CONTOSO_P)).toEqual(sorted(t.closed));
    expect(await ids('state=resolved', CONTOSO_P)).toEqual([]);
    const all = await queue('state=all', CONTOSO_P);
    expect(all.rows.every((r) => r.tenantId === CONTOSO)).toBe(true);
    expect(all.rows.map((r) => r.id).sort()).toEqual(sorted(t.closed, t.open1, t.old));
    expect(await ids(`state=all&customer=${FABRIKAM}`, CONTOSO_P)).toEqual(sorted(t.closed, t.open1, t.old));
    expect(JSON.stringify(all.body)).not.toContain('Fabrikam');
  });
});

describe('search', () => {
  it.each([
    ['a word of the description', 'walrus', 'resolved'],
    ['a customer message', 'kiwi desk', 'open1'],
    ['a reply, any case', 'ZEBRAFISH', 'closed'],
    ['a reply on a ticket stored before search texts', 'platypus', 'old'],
    ['the title', 'voicemail', 'open2'],
  ] as const)('finds %s', async (_what, q, which) => {
    expect(await ids(`state=all&q=${encodeURIComponent(q)}`)).toEqual([t[which].id]);
  });

  it('finds a closed ticket by its reply only when closed tickets are asked for', async () => {
    expect(await ids('q=zebrafish')).toEqual([]);
    expect(await ids('state=closed&q=zebrafish')).toEqual([t.closed.id]);
    expect(await ids('state=closed&q=zebrafish', CONTOSO_P)).toEqual([t.closed.id]);
  });

  it('matches internal notes for staff only', async () => {
    expect(await ids('q=quokka')).toEqual([t.open1.id]);
    expect(await ids('q=quokka', ENGINEER_P)).toEqual([t.open1.id]);
    expect(await ids('state=all&q=quokka', CONTOSO_P)).toEqual([]);
  });

  it("never finds another tenant's ticket for a customer", async () => {
    expect(await ids('state=all&q=walrus', CONTOSO_P)).toEqual([]);
    expect(await ids('state=all&q=voicemail', CONTOSO_P)).toEqual([]);
  });

  it('a ticket stored before search texts gets them on its next change', async () => {
    await act(app, clock, et('2026-11-28 10:00'), t.old.id, { kind: 'note', text: 'Card from lot 7' });
    const heads = clientFromConnectionString(azurite.connectionString, `${app.config.tablePrefix}tickets`);
    const head = await heads.getEntity(tenantPk(CONTOSO), headRk(t.old.id));
    expect(head['st']).toBe('Swapped the platypus card');
    expect(head['sn']).toBe('Card from lot 7');
  });
});

describe('the search text kept on a ticket', () => {
  const ev = (seq: number, type: TicketEvent['type'], text: string, internal = false): TicketEvent => ({
    ticketId: 'TM-1',
    seq,
    at: seq,
    type,
    actor: { id: 'x', name: 'X', role: 'engineer' },
    text,
    internal,
  });

  it('keeps what people wrote, notes apart, and no system text', () => {
    const s = searchText(undefined, [
      ev(1, 'customer-message', 'first'),
      ev(2, 'warning-sent', 'Response at 75 %'),
      ev(3, 'internal-note', 'secret', true),
    ]);
    expect(s).toEqual({ text: 'first', notes: 'secret' });
    expect(searchText(s, [ev(4, 'engineer-reply', 'second')])).toEqual({
      text: 'first\nsecond',
      notes: 'secret',
    });
  });

  it('is bounded: the oldest words go first', () => {
    const long = 'a'.repeat(7_000);
    let s = searchText(undefined, [ev(1, 'engineer-reply', 'oldest words')]);
    for (let i = 0; i < 5; i++)
      s = searchText(s, [ev(i + 2, 'customer-message', long), ev(i + 2, 'internal-note', long, true)]);
    expect(s.text.length).toBe(SEARCH_TEXT_MAX);
    expect(s.notes.length).toBe(SEARCH_NOTES_MAX);
    expect(s.text).not.toContain('oldest');
  });
});

describe('sorting and paging', () => {
  const RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3 };
  const KEYS: Record<string, (r: Row) => number | string> = {
    deadline: (r) => r.next?.due ?? Number.MAX_SAFE_INTEGER,
    priority: (r) => RANK[r.priority] ?? 9,
    customer: (r) => r.customerName,
    owner: (r) => r.owner?.name ?? '\uffff',
    updated: (r) => r.updatedAt,
  };

  it.each(['deadline', 'priority', 'customer', 'owner', 'updated'])(
    'sorts by %s, ascending and descending',
    async (sort) => {
      const key = KEYS[sort] as (r: Row) => number | string;
      const up = (await queue(`state=all&sort=${sort}`)).rows;
      expect(up).toHaveLength(5);
      const keys = up.map(key);
      expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const down = (await queue(`state=all&sort=${sort}&dir=desc`)).rows;
      expect(down.map((r) => r.id)).toEqual(up.map((r) => r.id).reverse());
    },
  );

  it('orders by the values a person expects', async () => {
    expect((await queue('state=all&sort=priority')).rows.map((r) => r.priority)).toEqual([
      'P1',
      'P2',
      'P2',
      'P3',
      'P3',
    ]);
    const updated = (await queue('state=all&sort=updated&dir=desc')).rows;
    expect(updated[0]?.updatedAt).toBe(Math.max(...updated.map((r) => r.updatedAt)));
    expect(updated.at(-1)?.id).toBe(t.resolved.id);
    const owners = (await queue('state=all&sort=owner')).rows.map((r) => r.owner?.name ?? null);
    // The first reply took ownership; a note does not; the unowned come last.
    expect(owners).toEqual(['Eddie Engineer', 'Eddie Engineer', 'Eddie Engineer', 'Maria Manager', null]);
  });

  it('pages a sorted queue without gaps or repeats', async () => {
    const first = await queue('state=all&sort=customer&limit=2');
    expect(first.rows).toHaveLength(2);
    expect(first.body['next']).toBe('s.2');
    const second = await queue('state=all&sort=customer&limit=2&next=s.2');
    const third = await queue('state=all&sort=customer&limit=2&next=s.4');
    expect(third.body['next']).toBeNull();
    const all = (await queue('state=all&sort=customer')).rows.map((r) => r.id);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.id)).toEqual(all);
  });
});

describe('bad input', () => {
  it.each([
    ['state=bogus', 'state'],
    ['sla=late', 'state'],
    ['from=2026-13-01', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-11-27&to=2026-11-26', 'to'],
    ['date=created&from=2026-11-01', 'date'],
    ['sort=size', 'sort'],
    ['dir=up', 'dir'],
    ['state=all&next=s.x', 'next'],
    ['priority=P9', 'priority'],
  ])('%s answers 400 naming %s', async (query, field) => {
    for (const persona of [MANAGER_P, CONTOSO_P]) {
      const res = await queue(query, persona);
      expect(res.status).toBe(400);
      expect((res.body['error'] as { field?: string }).field).toBe(field);
    }
  });
});

describe('a number is searched as a ticket id and as words', () => {
  let call: Ticket;
  const numberOf = (x: Ticket): string => x.id.split('-')[1] ?? '';
  const refused = async (): Promise<number> =>
    (await app.deps.audit.day(new Date(clock.now).toISOString().slice(0, 10))).filter(
      (e) => e.outcome === 'refused' && e.action === 'api.queue',
    ).length;

  beforeAll(async () => {
    call = await seed(app, clock, et('2026-11-28 11:00'), { priority: 'P3', title: 'Calls drop' });
    await customerSays(
      call.id,
      CONTOSO,
      et('2026-11-28 11:05'),
      `call id: 8841-22-XK, the same as ${numberOf(t.resolved)} at our partner`,
    );
    clock.now = et('2026-11-28 12:00');
    await app.background.drain();
  });

  it.each(['8841', '22', '8841-', '8841-22-xk'])('finds the ticket whose words hold %s', async (q) => {
    expect((await ids(`state=all&q=${q}`)).includes(call.id)).toBe(true);
    expect((await ids(`state=all&q=${q}`, CONTOSO_P)).includes(call.id)).toBe(true);
  });

  it('puts the ticket a number names first, then the tickets that mention it', async () => {
    const rows = (await queue(`state=all&q=${numberOf(t.resolved)}`)).rows.map((r) => r.id);
    expect(rows).toEqual([t.resolved.id, call.id]);
    // The named ticket comes first whatever the filters; the words are searched in the states asked for.
    expect((await queue(`q=${numberOf(t.resolved)}`)).rows.map((r) => r.id)).toEqual([
      t.resolved.id,
      call.id,
    ]);
    expect((await queue(`q=${t.resolved.id.toLowerCase()}`)).rows.map((r) => r.id)).toEqual([t.resolved.id]);
  });

  it("shows a customer their own ticket that mentions another tenant's ticket, never that ticket", async () => {
    const before = await refused();
    const got = await queue(`state=all&q=${numberOf(t.resolved)}`, CONTOSO_P);
    expect(got.rows.map((r) => r.id)).toEqual([call.id]);
    expect(JSON.stringify(got.body)).not.toContain('Fabrikam');
    expect(JSON.stringify(got.body)).not.toContain(t.resolved.title);
    // Something was found: no refused look-up is recorded.
    expect(await refused()).toBe(before);
    // Another tenant's ticket no word mentions: nothing shown, the refused look-up recorded.
    const none = await queue(`state=all&q=${numberOf(t.open2)}`, CONTOSO_P);
    expect(none.rows).toEqual([]);
    expect(JSON.stringify(none.body)).not.toContain('Fabrikam');
    expect(await refused()).toBe(before + 1);
  });
});

describe('the state of a row that is not open', () => {
  it('is resolved for a resolved ticket and closed for a closed one, as the state filter says', async () => {
    const rows = (await queue('state=all')).rows as (Row & { state: string; escalatedAt: unknown })[];
    const stateOf = (x: Ticket) => rows.find((r) => r.id === x.id)?.state;
    expect(stateOf(t.resolved)).toBe('resolved');
    expect(stateOf(t.closed)).toBe('closed');
    expect((await queue('state=resolved')).rows.map((r) => (r as Row & { state: string }).state)).toEqual([
      'resolved',
    ]);
    expect((await queue('state=closed')).rows.map((r) => (r as Row & { state: string }).state)).toEqual([
      'closed',
    ]);
  });
});

describe('an escalated ticket', () => {
  it('carries when the customer asked for escalation while it is open', async () => {
    const row = async (id: string) =>
      (await queue('state=all')).rows.find((r) => r.id === id) as Row & { escalatedAt: number | null };
    expect((await row(t.open1.id)).escalatedAt).toBeNull();
    clock.now = et('2026-11-28 13:00');
    const asked = await app.tickets.act(
      { kind: 'tenant', tenantId: CONTOSO },
      t.open1.id,
      { id: 'aad-ann', name: 'Ann Customer', role: 'customer' },
      { kind: 'escalate', reason: 'Still no calls' },
    );
    if (!asked.ok) throw asked.error;
    expect((await row(t.open1.id)).escalatedAt).toBe(et('2026-11-28 13:00'));
    const mine = (await queue('', CONTOSO_P)).rows.find((r) => r.id === t.open1.id) as Row & {
      escalatedAt: number | null;
    };
    expect(mine.escalatedAt).toBe(et('2026-11-28 13:00'));
    await act(app, clock, et('2026-11-28 14:00'), t.open1.id, { kind: 'resolve', text: 'Carrier fixed' });
    expect((await row(t.open1.id)).escalatedAt).toBeNull();
  });
});
