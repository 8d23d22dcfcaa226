// Crash points of an upload and a deletion, on the real Azurite, each stopped where a crash would stop it (the
// lower-level steps called directly, or a step made to fail), then shown made whole by the next read or the
// sweep: a record rebuilt from its event and blob, an event whose bytes are gone recorded as removed (the
// count given back), a deletion whose event was never written finished, and nothing recorded twice.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { App } from '../../src/app';
import type { TicketDetail } from '../../src/adapters/api/contract';
import type { Attachment } from '../../src/domain/attachments/model';
import type { AttachmentRows, BlobStore } from '../../src/domain/attachments/ports';
import type { Actor, Ticket, TicketEvent } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { CONTOSO, ENGINEER, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({ clock, sso: true, env: { ATTACHMENT_MAX_MB: '1' } });
const { token, call, file } = desk;
let app: App;
let blobs: BlobStore;
let rows: AttachmentRows;

beforeAll(async () => {
  ({ app } = await desk.start());
  ({ blobs, rows } = app.attachments['deps']);
});
afterAll(() => desk.stop());

const ANN = 'cccccccc-0000-4000-8000-000000000001';
const eddie: Actor = { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' };
const maria: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };
const MINUTE = 60_000;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function events(t: Ticket, type: string): Promise<TicketEvent[]> {
  const got = await app.tickets.timeline({ kind: 'staff' }, t.id);
  if (!got.ok) throw got.error;
  return got.value.events.filter((e) => e.type === type);
}

async function listed(t: Ticket): Promise<string[]> {
  const got = await app.attachments.list({ kind: 'staff' }, t.id);
  if (!got.ok) throw got.error;
  return got.value.map((a) => a.name);
}

/** Uploads through the service with the record's write failing, as a crash right after the event would leave it. */
async function crashBeforeRecord(t: Ticket, name: string, bytes: Buffer): Promise<string> {
  const insert = rows.insert.bind(rows);
  rows.insert = () => Promise.reject(new Error('crashed'));
  try {
    const added = await app.attachments.add(
      { tenantId: '', ticketId: t.id, actor: eddie, name, source: 'tab', body: Readable.from([bytes]) },
      clock.now,
    );
    if (!added.ok) throw added.error;
    expect(await rows.get(t.tenantId, t.id, added.value.id)).toBeNull();
    return added.value.id;
  } finally {
    rows.insert = insert;
  }
}

async function download(t: Ticket, id: string, who = token(CONTOSO, ANN)): Promise<[number, Buffer]> {
  const res = await fetch(`${app.url}/api/tickets/${t.id}/attachments/${id}`, {
    headers: { authorization: `Bearer ${who}` },
  });
  return [res.status, Buffer.from(await res.arrayBuffer())];
}

it('a crash after the bytes, before the event: nothing is shown, the count is untouched, the sweep removes the blob a day later', async () => {
  const { ticket: t } = await file({ title: 'Crash before the event' });
  await blobs.put({ tenantId: t.tenantId, ticketId: t.id, id: 'early1' }, Readable.from([Buffer.from('x')]), {
    contentType: 'text/plain',
    maxBytes: 10,
    now: clock.now,
  });
  expect(await listed(t)).toEqual([]);
  expect((await desk.stored(t.id)).attachmentCount ?? 0).toBe(0);
  expect(await events(t, 'attachment-added')).toEqual([]);
  clock.now += 25 * 60 * MINUTE;
  const swept = await app.attachments.sweep(clock.now, 0);
  expect(swept.orphans).toBeGreaterThanOrEqual(1);
  expect(await blobs.get({ tenantId: t.tenantId, ticketId: t.id, id: 'early1' })).toBeNull();
});

it('a crash after the event, before the record: the answer is still "added", and the next read rebuilds the record', async () => {
  const { ticket: t } = await file({ title: 'Crash before the record' });
  const bytes = randomBytes(150_000);
  const id = await crashBeforeRecord(t, 'capture.log', bytes);
  // The customer's tab page lists it (the read repairs), and the bytes download whole.
  const page = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, token(CONTOSO, ANN));
  expect(page.body.attachments?.map((a) => [a.id, a.name, a.size, a.addedBy])).toEqual([
    [id, 'capture.log', 150_000, 'Eddie Engineer'],
  ]);
  const record = await rows.get(t.tenantId, t.id, id);
  const [added] = await events(t, 'attachment-added');
  expect(record).toMatchObject({ sha256: sha(bytes), seq: added?.seq, addedAt: added?.at, addedBy: eddie });
  const [status, got] = await download(t, id);
  expect(status).toBe(200);
  expect(sha(got)).toBe(sha(bytes));
  expect((await desk.stored(t.id)).attachmentCount).toBe(1);
});

it('the same crash found by the sweep a day later: the record is rebuilt and the bytes kept, not swept as an orphan', async () => {
  const { ticket: t } = await file({ title: 'Crash found by the sweep' });
  const bytes = randomBytes(5_000);
  const id = await crashBeforeRecord(t, 'trace.txt', bytes);
  clock.now += 25 * 60 * MINUTE;
  const swept = await app.attachments.sweep(clock.now, 0);
  expect(swept.repaired).toBeGreaterThanOrEqual(1);
  expect((await rows.get(t.tenantId, t.id, id))?.sha256).toBe(sha(bytes));
  expect(await blobs.get({ tenantId: t.tenantId, ticketId: t.id, id })).not.toBeNull();
  expect(await listed(t)).toEqual(['trace.txt']);
});

it('an event whose bytes are gone is recorded as removed by the app, with the reason, and the slot comes back', async () => {
  const { ticket: t } = await file({ title: 'Bytes lost' });
  const id = await crashBeforeRecord(t, 'gone.png', randomBytes(3_000));
  await blobs.delete({ tenantId: t.tenantId, ticketId: t.id, id });
  expect((await desk.stored(t.id)).attachmentCount).toBe(1);
  expect(await listed(t)).toEqual([]);
  expect((await desk.stored(t.id)).attachmentCount).toBe(0);
  const removed = await events(t, 'attachment-removed');
  expect(removed.map((e) => [e.text, e.internal, e.data?.['attachmentId']])).toEqual([
    ['SLA Desk deleted gone.png (3 KB): its bytes were missing from storage', true, id],
  ]);
  // Read again, and swept: recorded once.
  expect(await listed(t)).toEqual([]);
  await app.attachments.sweep(clock.now, 0);
  expect(await events(t, 'attachment-removed')).toHaveLength(1);
  expect((await rows.get(t.tenantId, t.id, id))?.deleted?.reason).toBe('its bytes were missing from storage');
});

it('a live record whose bytes are gone: the download is a 404, and the loss is recorded once', async () => {
  const { ticket: t } = await file({ title: 'Blob deleted behind our back' });
  const added = await app.attachments.add(
    {
      tenantId: '',
      ticketId: t.id,
      actor: eddie,
      name: 'x.txt',
      source: 'tab',
      body: Readable.from([Buffer.from('x')]),
    },
    clock.now,
  );
  if (!added.ok) throw added.error;
  await blobs.delete(added.value);
  expect((await download(t, added.value.id))[0]).toBe(404);
  expect((await download(t, added.value.id))[0]).toBe(404);
  expect((await desk.stored(t.id)).attachmentCount).toBe(0);
  expect((await events(t, 'attachment-removed')).map((e) => e.text)).toEqual([
    'SLA Desk deleted x.txt (1 byte): its bytes were missing from storage',
  ]);
});

it('a finished deletion stays finished: later repairs record no second removal, however busy the ticket since', async () => {
  const { ticket: t } = await file({ title: 'Deleted long ago' });
  const kept = await app.attachments.add(
    {
      tenantId: '',
      ticketId: t.id,
      actor: eddie,
      name: 'keep.txt',
      source: 'tab',
      body: Readable.from([Buffer.from('k')]),
    },
    clock.now,
  );
  const gone = await app.attachments.add(
    {
      tenantId: '',
      ticketId: t.id,
      actor: eddie,
      name: 'gone.txt',
      source: 'tab',
      body: Readable.from([Buffer.from('g')]),
    },
    clock.now,
  );
  if (!kept.ok || !gone.ok) throw new Error('not added');
  const removed = await app.attachments.remove(maria, t.id, gone.value.id, 'not needed', clock.now);
  expect(removed.ok).toBe(true);
  // More changes than the ticket remembers action ids for, then sweeps well after the repair's wait.
  for (let i = 0; i < 25; i++) {
    const noted = await app.tickets.act(
      { kind: 'staff' },
      t.id,
      eddie,
      { kind: 'note', text: `note ${i}` },
      { actionId: `note-${t.id}-${i}` },
    );
    expect(noted.ok).toBe(true);
  }
  // A later repair of the ticket (a sweep finding another of its blobs, a read missing a record) leaves it be.
  clock.now += 10 * MINUTE;
  await app.attachments.repair(t.tenantId, t.id, clock.now);
  await app.attachments.repair(t.tenantId, t.id, clock.now);
  expect((await events(t, 'attachment-removed')).map((e) => e.text)).toEqual([
    'Maria Manager deleted gone.txt (1 byte): not needed',
  ]);
  expect((await desk.stored(t.id)).attachmentCount).toBe(1);
  expect(await listed(t)).toEqual(['keep.txt']);
});

describe('a deletion that crashed after marking its record, before its event', () => {
  let t: Ticket;
  let a: Attachment;
  beforeAll(async () => {
    ({ ticket: t } = await file({ title: 'Deletion crashed' }));
    const added = await app.attachments.add(
      {
        tenantId: '',
        ticketId: t.id,
        actor: eddie,
        name: 'secret.txt',
        source: 'tab',
        body: Readable.from([Buffer.from('password')]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    a = added.value;
    const removal = { at: clock.now, by: { id: maria.id, name: maria.name }, reason: 'holds a password' };
    expect(await rows.markDeleted(a, removal)).toBe(true);
  });

  it('is not shown or downloadable at once, and a deletion perhaps still in flight is left alone', async () => {
    expect(await listed(t)).toEqual([]);
    expect((await download(t, a.id, token(STAFF_TENANT, ENGINEER)))[0]).toBe(404);
    clock.now += 2 * MINUTE;
    await app.attachments.sweep(clock.now, 0);
    expect(await events(t, 'attachment-removed')).toEqual([]);
  });

  it("is finished by the sweep after five minutes, in the manager's name and words, once", async () => {
    clock.now += 4 * MINUTE;
    const swept = await app.attachments.sweep(clock.now, 0);
    expect(swept.repaired).toBe(1);
    const removed = await events(t, 'attachment-removed');
    expect(removed.map((e) => e.text)).toEqual([
      'Maria Manager deleted secret.txt (8 bytes): holds a password',
    ]);
    expect((await desk.stored(t.id)).attachmentCount).toBe(0);
    expect(await blobs.get(a)).toBeNull();
    await app.attachments.sweep(clock.now, 0);
    expect(await listed(t)).toEqual([]);
    expect(await events(t, 'attachment-removed')).toHaveLength(1);
  });

  it('a repair and the remover recording the same deletion make one event (its action id)', async () => {
    const { ticket: u } = await file({ title: 'Deletion raced' });
    const added = await app.attachments.add(
      {
        tenantId: '',
        ticketId: u.id,
        actor: eddie,
        name: 'r.txt',
        source: 'tab',
        body: Readable.from([Buffer.from('r')]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    const removal = { at: clock.now - 10 * MINUTE, by: { id: maria.id, name: maria.name }, reason: 'dup' };
    await rows.markDeleted(added.value, removal);
    const detach = { kind: 'detach', file: added.value, reason: 'dup' } as const;
    const [late, repaired] = await Promise.all([
      app.tickets.act({ kind: 'staff' }, u.id, maria, detach, { actionId: `detach-${added.value.id}` }),
      app.attachments.repair(u.tenantId, u.id, clock.now),
    ]);
    expect(late.ok).toBe(true);
    expect(repaired.finished).toBeLessThanOrEqual(1);
    expect(await events(u, 'attachment-removed')).toHaveLength(1);
    expect((await desk.stored(u.id)).attachmentCount).toBe(0);
  });
});
