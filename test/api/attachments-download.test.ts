// Downloads over real HTTP on the real Azurite Blob service: a 25 MB file goes up and comes back whole (its
// SHA-256 checked) with the blob read only as fast as the client takes it; a client that goes away stops the
// blob's read; HEAD answers the headers only; If-None-Match answers 304; one byte range answers 206, one outside
// the file 416, several (or a stale If-Range) the whole file. Every answer keeps the safe headers.
import { createHash, randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { App } from '../../src/app';
import type { AttachmentView } from '../../src/adapters/api/contract';
import type { BlobStore } from '../../src/domain/attachments/ports';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { CONTOSO, ENGINEER, FABRIKAM, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const clock: TestClock = { now: et('2026-11-25 08:00') };
const desk = new StaffDesk({ clock, sso: true });
const { token, file } = desk;
let app: App;
const ANN = 'cccccccc-0000-4000-8000-000000000001';
const MB = 1024 * 1024;

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** What the blob store handed out and how much of it was read, for the reads this test watches. */
const reads: { pulled: number; ended: boolean; destroyed: () => boolean }[] = [];

beforeAll(async () => {
  ({ app } = await desk.start());
  const blobs: BlobStore = app.attachments['deps'].blobs;
  const get = blobs.get.bind(blobs);
  blobs.get = async (key, span) => {
    const got = await get(key, span);
    if (got === null) return null;
    const source = got.body as NodeJS.ReadableStream & { destroyed: boolean };
    const watch = { pulled: 0, ended: false, destroyed: () => source.destroyed };
    reads.push(watch);
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of got?.body ?? []) {
        watch.pulled += c.byteLength;
        yield c;
      }
      watch.ended = true;
    }
    return { body: counted(), size: got.size };
  };
}, 60_000);
afterAll(() => desk.stop());

interface Raw {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

async function upload(t: Ticket, name: string, body: Buffer): Promise<AttachmentView> {
  const res = await fetch(`${app.url}/api/tickets/${t.id}/attachments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token(STAFF_TENANT, ENGINEER)}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    },
    body: new Uint8Array(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { attachment: AttachmentView }).attachment;
}

async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token(CONTOSO, ANN)}`, ...headers },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const SAFE = {
  'content-disposition': expect.stringMatching(/^attachment; /) as unknown,
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
};
const safe = (h: Headers) => Object.fromEntries(Object.keys(SAFE).map((k) => [k, h.get(k)]));

/** Resolves once `read` has pulled nothing more for a while (it waits for the server, it asserts no time). */
async function settled(read: { pulled: number }): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((r) => setTimeout(r, 100));
    quiet = read.pulled === last ? quiet + 1 : 0;
    last = read.pulled;
  }
}

describe('a 25 MB file', () => {
  let t: Ticket;
  let view: AttachmentView;
  const bytes = randomBytes(25 * MB);
  beforeAll(async () => {
    ({ ticket: t } = await file({ title: 'Big dump' }));
    view = await upload(t, 'dump.zip', bytes);
  }, 120_000);

  it('downloads whole, byte for byte (SHA-256), with its tag and the safe headers', async () => {
    const res = await get(view.href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(25 * MB));
    expect(res.headers.get('etag')).toBe(`"${sha(bytes)}"`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(safe(res.headers)).toEqual(SAFE);
    expect(sha(res.bytes)).toBe(sha(bytes));
  }, 120_000);

  it('is read from the blob only as fast as the client takes it, and a client that goes away stops the read', async () => {
    const before = reads.length;
    const url = new URL(`${app.url}${view.href}`);
    let received = 0;
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: { authorization: `Bearer ${token(CONTOSO, ANN)}` },
    });
    const res = await new Promise<IncomingMessage>((done, fail) => {
      req.on('response', done);
      req.on('error', fail);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    // Take one chunk, then stop reading: the server may fill the socket's buffers, not read the whole blob.
    await new Promise<void>((done) => {
      res.once('data', (c: Buffer) => {
        received += c.byteLength;
        res.pause();
        done();
      });
    });
    const read = reads[before];
    if (read === undefined) throw new Error('the download did not read the blob');
    await settled(read);
    expect(received).toBeGreaterThan(0);
    expect(read.ended).toBe(false);
    expect(read.pulled).toBeLessThan(12 * MB);
    req.destroy();
    while (!read.destroyed()) await new Promise((r) => setTimeout(r, 50));
    expect(read.ended).toBe(false);
    expect(read.pulled).toBeLessThan(25 * MB);
  }, 120_000);
});

describe('conditional and partial downloads', () => {
  let view: AttachmentView;
  const bytes = randomBytes(100_000);
  const tag = `"${sha(bytes)}"`;
  beforeAll(async () => {
    const { ticket: t } = await file({ title: 'Small log' });
    view = await upload(t, 'app.log', bytes);
  });

  it('HEAD answers the headers and no bytes', async () => {
    const res = await get(view.href, {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('100000');
    expect(res.headers.get('etag')).toBe(tag);
    expect(safe(res.headers)).toEqual(SAFE);
    expect(res.bytes.length).toBe(0);
  });

  it('If-None-Match with its tag answers 304 and no bytes; another tag the whole file', async () => {
    const same = await get(view.href, { 'if-none-match': `"x", W/${tag}` });
    expect(same.status).toBe(304);
    expect(same.bytes.length).toBe(0);
    expect(same.headers.get('etag')).toBe(tag);
    const other = await get(view.href, { 'if-none-match': '"not-it"' });
    expect(other.status).toBe(200);
    expect(other.bytes.equals(bytes)).toBe(true);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=99990-', 99_990, 99_999],
    ['bytes=-10', 99_990, 99_999],
    ['bytes=500-200000', 500, 99_999],
  ])('%s answers 206 with those bytes', async (range, start, end) => {
    const res = await get(view.href, { range });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/100000`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(safe(res.headers)).toEqual(SAFE);
    expect(res.bytes.equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it('a range outside the file answers 416 naming the size; several ranges, a bad one or a stale If-Range the whole file', async () => {
    const outside = await get(view.href, { range: 'bytes=100000-' });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */100000');
    for (const headers of [
      { range: 'bytes=0-1,5-6' },
      { range: 'lines=1-2' },
      { range: 'bytes=9-3' },
      { range: 'bytes=0-9', 'if-range': '"stale"' },
    ]) {
      const res = await get(view.href, headers);
      expect([JSON.stringify(headers), res.status]).toEqual([JSON.stringify(headers), 200]);
      expect(res.bytes.equals(bytes)).toBe(true);
    }
    const fresh = await get(view.href, { range: 'bytes=0-9', 'if-range': tag });
    expect(fresh.status).toBe(206);
  });

  it('another tenant gets the same 404 on HEAD, If-None-Match and ranges as for a missing file', async () => {
    const foreign = token(FABRIKAM, 'cccccccc-0000-4000-8000-000000000009');
    for (const [headers, method] of [
      [{}, 'HEAD'],
      [{ 'if-none-match': tag }, 'GET'],
      [{ range: 'bytes=0-9' }, 'GET'],
    ] as const) {
      const res = await fetch(`${app.url}${view.href}`, {
        method,
        headers: { authorization: `Bearer ${foreign}`, ...headers },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('etag')).toBeNull();
      const text = await res.text();
      if (method === 'GET') expect(text).toBe('{"error":{"code":"NOT_FOUND","message":"Not found."}}');
    }
  });
});
