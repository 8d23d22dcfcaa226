// Files on tickets over real HTTP with tab tokens, on the real Azurite Blob service: upload by staff and
// download by the right tenant; another tenant's file answers exactly like a missing one and is audited; too
// large (stopped while streaming: no blob, no row, no event), too many (a concurrent pair cannot pass the
// limit), wrong type, cleaned names; a manager deletes (an engineer cannot); retention and the orphan sweep.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { App } from '../../src/app';
import type { AttachmentView, TicketDetail } from '../../src/adapters/api/contract';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { CONTOSO, ENGINEER, FABRIKAM, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({
  clock,
  sso: true,
  env: { ATTACHMENT_MAX_MB: '1', ATTACHMENT_MAX_PER_TICKET: '3' },
});
const { token, call, file, fresh } = desk;
let app: App;

beforeAll(async () => {
  ({ app } = await desk.start());
});
afterAll(() => desk.stop());

const engineer = () => token(STAFF_TENANT, ENGINEER);
const manager = () => token(STAFF_TENANT, MANAGER);
const ANN = 'cccccccc-0000-4000-8000-000000000001';
const FRED = 'cccccccc-0000-4000-8000-000000000009';

interface Raw {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

async function upload(id: string, name: string, body: Buffer, t = engineer(), type?: string): Promise<Raw> {
  const res = await fetch(`${app.url}/api/tickets/${id}/attachments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${t}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
      ...(type === undefined ? {} : { 'x-file-type': type }),
    },
    body: new Uint8Array(body),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function get(path: string, t: string, method = 'GET', body?: unknown): Promise<Raw> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body's type
function json<T>(r: Raw): T {
  return JSON.parse(r.bytes.toString('utf8')) as T;
}

function declaredNone(): Raw {
  throw new Error('no upload was refused');
}

async function blobNames(ticket: Ticket): Promise<string[]> {
  const names: string[] = [];
  for await (const b of app.attachments['deps'].blobs.list())
    if (b.key.ticketId === ticket.id) names.push(b.key.id);
  return names;
}

describe('a file on a ticket', () => {
  let t: Ticket;
  let view: AttachmentView;
  const bytes = randomBytes(200_000);
  beforeAll(async () => {
    ({ ticket: t } = await file({ title: 'Calls drop' }));
    const up = await upload(t.id, '..\\..\\trace\u202E.log', bytes);
    expect(up.status).toBe(201);
    view = json<{ attachment: AttachmentView }>(up).attachment;
  });

  it('is stored under its cleaned name and listed on the ticket page, by name only', async () => {
    expect(view).toMatchObject({
      name: 'trace.log',
      size: 200_000,
      contentType: 'text/plain',
      addedBy: 'Eddie Engineer',
      source: 'tab',
    });
    const page = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, token(CONTOSO, ANN));
    expect(page.body.attachments).toEqual([view]);
    expect(JSON.stringify(page.body.attachments)).not.toContain(ENGINEER);
    const added = page.body.timeline.find((e) => e.type === 'attachment-added');
    expect(added?.text).toBe('trace.log (195 KB)');
  });

  it("downloads whole for the ticket's tenant, with the safe headers", async () => {
    const res = await get(view.href, token(CONTOSO, ANN));
    expect(res.status).toBe(200);
    expect(res.bytes.equals(bytes)).toBe(true);
    expect(
      Object.fromEntries(
        [
          'content-type',
          'content-length',
          'content-disposition',
          'x-content-type-options',
          'content-security-policy',
          'cache-control',
        ].map((h) => [h, res.headers.get(h)]),
      ),
    ).toEqual({
      'content-type': 'text/plain',
      'content-length': '200000',
      'content-disposition': `attachment; filename="trace.log"; filename*=UTF-8''trace.log`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
  });

  it('answers another tenant exactly as a missing file, and audits the try', async () => {
    const foreign = await get(view.href, token(FABRIKAM, FRED));
    const missing = await get(`/api/tickets/${t.id}/attachments/nosuchfile`, token(CONTOSO, ANN));
    const noTicket = await get(`/api/tickets/TM-999999/attachments/${view.id}`, token(CONTOSO, ANN));
    expect(foreign.status).toBe(404);
    expect([missing.status, noTicket.status]).toEqual([404, 404]);
    expect(foreign.bytes.toString()).toBe(missing.bytes.toString());
    expect(foreign.bytes.toString()).toBe(noTicket.bytes.toString());
    const day = new Date(clock.now).toISOString().slice(0, 10);
    const rows = (await app.deps.audit.day(day)).filter(
      (e) => e.action === 'api.attachment' && e.tenantId === FABRIKAM,
    );
    expect(rows).toEqual([
      expect.objectContaining({ target: t.id, reason: "another tenant's ticket", outcome: 'refused' }),
    ]);
  });

  it('a reply carries the file: its text lists it', async () => {
    const res = await call<TicketDetail>('POST', `/api/tickets/${t.id}/actions`, engineer(), {
      requestId: fresh(),
      action: 'reply',
      text: 'Here is the trace we took.',
      attachments: [view.id],
    });
    expect(res.status).toBe(200);
    const reply = res.body.timeline.find((e) => e.type === 'engineer-reply');
    expect(reply?.text).toBe('Here is the trace we took.\n\nFiles: trace.log (195 KB)');
    const bad = await call('POST', `/api/tickets/${t.id}/actions`, engineer(), {
      requestId: fresh(),
      action: 'reply',
      text: 'x',
      attachments: ['nosuchfile'],
    });
    expect(bad.status).toBe(400);
  });

  it('an engineer may not delete it; a manager deletes it with a reason, said in the timeline', async () => {
    expect((await get(view.href, engineer(), 'DELETE', { reason: 'x' })).status).toBe(403);
    const del = await get(view.href, manager(), 'DELETE', { reason: 'holds a password' });
    expect(del.status).toBe(200);
    expect((await get(view.href, engineer())).status).toBe(404);
    expect(await blobNames(t)).not.toContain(view.id);
    const page = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, engineer());
    expect(page.body.attachments).toEqual([]);
    const removed = page.body.timeline.find((e) => e.type === 'attachment-removed');
    expect(removed?.text).toBe('Maria Manager deleted trace.log (195 KB): holds a password');
    const customer = await call<TicketDetail>('GET', `/api/tickets/${t.id}`, token(CONTOSO, ANN));
    // The customer is told the file went, never by whom or why (the reason may be sensitive).
    const told = customer.body.timeline.filter((e) => e.type === 'attachment-removed');
    expect(told.map((e) => e.text)).toEqual(['trace.log was removed by support']);
    expect(JSON.stringify(customer.body)).not.toContain('holds a password');
    expect(JSON.stringify(customer.body)).not.toContain('Maria Manager');
  });
});

describe('files that break a rule change nothing', () => {
  let t: Ticket;
  beforeAll(async () => {
    ({ ticket: t } = await file({ title: 'Rules' }));
  });

  const unchanged = async () => {
    const now = await desk.stored(t.id);
    expect(now.attachmentCount ?? 0).toBe(0);
    expect(await blobNames(t)).toEqual([]);
    const listed = await app.attachments.list({ kind: 'staff' }, t.id);
    expect(listed.ok && listed.value).toEqual([]);
  };

  it('too large: refused while streaming with 413, no blob, no row, no event', async () => {
    const before = (await desk.stored(t.id)).eventCount;
    // Sent chunked, without a length: the limit is found while the bytes stream.
    const res = await fetch(`${app.url}/api/tickets/${t.id}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${engineer()}`,
        'content-type': 'application/octet-stream',
        'x-file-name': 'dump.zip',
      },
      body: Readable.toWeb(Readable.from([randomBytes(700_000), randomBytes(700_000)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'FILE_TOO_LARGE', message: 'dump.zip is larger than 1 MB, the limit.' },
    });
    const declared = await upload(t.id, 'dump.zip', randomBytes(1_300_000));
    expect(declared.status).toBe(413);
    expect(json<{ error: { message: string } }>(declared).error.message).toBe(
      'dump.zip is 1.3 MB; the limit is 1 MB.',
    );
    expect((await desk.stored(t.id)).eventCount).toBe(before);
    await unchanged();
  });

  it('wrong type: refused with the types SLA Desk accepts', async () => {
    const res = await upload(t.id, 'screenshot.exe', Buffer.from('MZ'));
    expect(res.status).toBe(415);
    expect(json<{ error: { message: string } }>(res).error.message).toBe(
      'screenshot.exe is not a file type SLA Desk accepts (images, PDF, text and log files, zip, Office files).',
    );
    const disguised = await upload(
      t.id,
      'photo.png',
      Buffer.from('MZ'),
      engineer(),
      'application/x-msdownload',
    );
    expect(disguised.status).toBe(415);
    await unchanged();
  });

  it('customers cannot upload from the tab', async () => {
    expect((await upload(t.id, 'a.txt', Buffer.from('a'), token(CONTOSO, ANN))).status).toBe(403);
    await unchanged();
  });
});

it('too many: the limit holds, also for uploads at the same time', async () => {
  const { ticket: t } = await file({ title: 'Many' });
  expect((await upload(t.id, 'one.txt', Buffer.from('1'))).status).toBe(201);
  const pair = await Promise.all([2, 3, 4].map((n) => upload(t.id, `n${n}.txt`, Buffer.from(String(n)))));
  expect(pair.map((r) => r.status).sort()).toEqual([201, 201, 409]);
  const refused = pair.find((r) => r.status === 409);
  expect(json<{ error: { message: string } }>(refused ?? declaredNone()).error.message).toBe(
    `${t.id} already has 3 files, the limit.`,
  );
  expect((await desk.stored(t.id)).attachmentCount).toBe(3);
  const listed = await app.attachments.list({ kind: 'staff' }, t.id);
  expect(listed.ok && listed.value.length).toBe(3);
  expect((await blobNames(t)).length).toBe(3);
});

it('retention deletes the files of tickets closed long enough only; the sweep removes day-old orphans', async () => {
  const system = { id: 'x', name: 'x', role: 'engineer' as const };
  const closedLong = await file({ title: 'Closed long ago' });
  const open = await file({ title: 'Still open' });
  for (const { ticket } of [closedLong, open])
    expect((await upload(ticket.id, 'keep.txt', Buffer.from('k'))).status).toBe(201);
  for (const kind of ['resolve', 'close'] as const) {
    const r = await app.tickets.act({ kind: 'staff' }, closedLong.ticket.id, system, { kind });
    expect(r.ok).toBe(true);
  }
  // An orphan: bytes stored, the record never written (a crash between the two).
  const blobs = app.attachments['deps'].blobs;
  const orphan = { tenantId: CONTOSO, ticketId: open.ticket.id, id: 'orphan1' };
  await blobs.put(orphan, Readable.from([Buffer.from('o')]), {
    contentType: 'text/plain',
    maxBytes: 10,
    now: clock.now,
  });

  clock.now += 10 * 86_400_000;
  expect(await app.attachments.sweep(clock.now, 30)).toEqual({ expired: 0, orphans: 1 });
  clock.now += 25 * 86_400_000;
  const swept = await app.attachments.sweep(clock.now, 30);
  expect(swept.expired).toBeGreaterThanOrEqual(1);
  expect(await app.attachments.list({ kind: 'staff' }, closedLong.ticket.id)).toEqual({
    ok: true,
    value: [],
  });
  const kept = await app.attachments.list({ kind: 'staff' }, open.ticket.id);
  expect(kept.ok && kept.value.map((a) => a.name)).toEqual(['keep.txt']);
  expect(await blobNames(closedLong.ticket)).toEqual([]);
  const timeline = await app.tickets.timeline({ kind: 'staff' }, closedLong.ticket.id);
  const removed = timeline.ok
    ? timeline.value.events.find((e) => e.type === 'attachment-removed')
    : undefined;
  expect(removed?.text).toBe('SLA Desk deleted keep.txt (1 byte): retention: closed more than 30 days');
});
