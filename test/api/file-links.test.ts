// Short-lived download links over real HTTP, on the real Azurite: a viewer of the ticket gets a link that
// downloads the file without a token, with the download's own headers; another tenant's try answers exactly like
// a missing file and is audited; an expired, tampered, re-pointed or re-signed link, and a link to a file
// deleted since, all answer the same plain 404 page; the token never reaches the logs; refused links spend
// their address's allowance.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { App } from '../../src/app';
import type { AttachmentView } from '../../src/adapters/api/contract';
import type { FileLinkView } from '../../src/adapters/api/contract-ticket';
import {
  keyPeriod,
  LINK_TTL_MS,
  readLink,
  signLink,
  type LinkClaims,
} from '../../src/adapters/api/file-link-token';
import { LINK_DEAD } from '../../src/adapters/api/routes/file-links';
import { TableLinkKeys } from '../../src/adapters/storage/link-keys';
import type { Logger } from '../../src/log';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { CONTOSO, ENGINEER, FABRIKAM, MANAGER, STAFF_TENANT } from '../support/tab';
import { StaffDesk } from '../support/staff-world';

const lines: string[] = [];
const capture: Logger = {
  debug: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
  info: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
  warn: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
  error: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields, err: String(fields?.['err']) })),
};

const clock: TestClock = { now: et('2026-11-25 08:00') };
// Refused links from one address: 16 per hour (the tests make fewer before the last one spends the rest).
const desk = new StaffDesk({
  clock,
  sso: true,
  log: capture,
  env: { RATE_LIMIT_CLIENT: '16', RATE_LIMIT_WINDOW_S: '3600' },
});
const { token, file } = desk;
let app: App;

beforeAll(async () => {
  ({ app } = await desk.start());
});
afterAll(() => desk.stop());

const ANN = 'cccccccc-0000-4000-8000-000000000001';
const FRED = 'cccccccc-0000-4000-8000-000000000009';
const ann = () => token(CONTOSO, ANN);

interface Raw {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

async function send(path: string, init: RequestInit = {}): Promise<Raw> {
  const res = await fetch(`${app.url}${path}`, init);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function upload(id: string, name: string, body: Buffer): Promise<AttachmentView> {
  const res = await send(`/api/tickets/${id}/attachments`, {
    method: 'POST',
    headers: {
      ...bearer(token(STAFF_TENANT, ENGINEER)),
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    },
    body: new Uint8Array(body),
  });
  expect(res.status).toBe(201);
  return (JSON.parse(res.bytes.toString()) as { attachment: AttachmentView }).attachment;
}

/** Asks for a link to `f` as the holder of token `t`. */
const linkFor = (f: Pick<AttachmentView, 'href'>, t: string): Promise<Raw> =>
  send(`${f.href}/link`, { method: 'POST', headers: bearer(t) });

async function mint(f: AttachmentView, t = ann()): Promise<FileLinkView> {
  const res = await linkFor(f, t);
  expect(res.status).toBe(200);
  return JSON.parse(res.bytes.toString()) as FileLinkView;
}

/** The path of a link: the app knows no public name here, so links are relative. */
const pathOf = (l: FileLinkView): string => l.url;

/** The path with its token signed again over other claims with the real key (as only the server could). */
async function resigned(l: FileLinkView, over: Partial<LinkClaims>): Promise<string> {
  const claims = readLink(pathOf(l).slice('/api/files/'.length));
  if (claims === undefined) throw new Error('not a link');
  const settings = app.storage.table(`${app.config.tablePrefix}settings`);
  const key = await new TableLinkKeys(settings).key(claims.keyId, false);
  if (key === undefined) throw new Error('no key stored');
  return `/api/files/${signLink(key, { ...claims, ...over })}`;
}

const SAFE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'x-content-type-options',
  'content-security-policy',
  'cache-control',
];
const headersOf = (r: Raw) => Object.fromEntries(SAFE_HEADERS.map((h) => [h, r.headers.get(h)]));

function expectDead(r: Raw): void {
  expect(r.status).toBe(404);
  expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(r.bytes.toString()).toContain(`<p>${LINK_DEAD}</p>`);
}

describe('a download link', () => {
  let t: Ticket;
  let a: AttachmentView;
  let b: AttachmentView;
  const bytesA = randomBytes(150_000);
  const bytesB = randomBytes(1_000);
  beforeAll(async () => {
    ({ ticket: t } = await file({ title: 'Calls drop' }));
    a = await upload(t.id, 'trace one.log', bytesA);
    b = await upload(t.id, 'other.log', bytesB);
  });

  it("downloads the file without a token for the ticket's tenant, with the download's own headers", async () => {
    const before = Date.now();
    const link = await mint(a);
    expect(link.url).toMatch(/^\/api\/files\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(link.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + LINK_TTL_MS);
    expect(expires).toBeLessThanOrEqual(Date.now() + LINK_TTL_MS);
    const got = await send(pathOf(link));
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytesA)).toBe(true);
    const direct = await send(a.href, { headers: bearer(ann()) });
    expect(headersOf(got)).toEqual(headersOf(direct));
    expect(headersOf(got)).toMatchObject({
      'content-disposition': `attachment; filename="trace one.log"; filename*=UTF-8''trace%20one.log`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    // Used again within its two minutes, it still works (a browser may ask twice).
    expect((await send(pathOf(link))).status).toBe(200);
  });

  it('is given to staff too, and names the file, ticket, tenant and asker, nothing secret', async () => {
    const link = await mint(a, token(STAFF_TENANT, MANAGER));
    const claims = readLink(pathOf(link).slice('/api/files/'.length));
    expect(claims).toMatchObject({
      attachmentId: a.id,
      ticketId: t.id,
      tenantId: CONTOSO,
      viewerId: MANAGER,
    });
    expect((await send(pathOf(link))).bytes.equals(bytesA)).toBe(true);
  });

  it('is refused to another tenant exactly as for a missing file, and the try is audited', async () => {
    const foreign = await linkFor(a, token(FABRIKAM, FRED));
    const missing = await linkFor({ href: `/api/tickets/${t.id}/attachments/nosuchfile` }, ann());
    const noTicket = await linkFor({ href: `/api/tickets/TM-999999/attachments/${a.id}` }, ann());
    const download = await send(a.href, { headers: bearer(token(FABRIKAM, FRED)) });
    for (const r of [foreign, missing, noTicket, download]) {
      expect(r.status).toBe(404);
      expect(r.bytes.toString()).toBe(foreign.bytes.toString());
    }
    const day = new Date(clock.now).toISOString().slice(0, 10);
    const rows = (await app.deps.audit.day(day)).filter(
      (e) => e.action === 'api.attachment' && e.tenantId === FABRIKAM,
    );
    // One row for the link, one for the download: recorded the same way.
    expect(rows).toEqual([
      expect.objectContaining({ target: t.id, reason: "another tenant's ticket", outcome: 'refused' }),
      expect.objectContaining({ target: t.id, reason: "another tenant's ticket", outcome: 'refused' }),
    ]);
  });

  it('needs a token to be made', async () => {
    const res = await send(`${a.href}/link`, { method: 'POST' });
    expect(res.status).toBe(401);
  });

  it('expired: the same plain 404 page', async () => {
    const link = await mint(a);
    expectDead(await send(await resigned(link, { expiresAt: Date.now() - 1 })));
    // An expiry further off than links are given for is not believed either.
    expectDead(await send(await resigned(link, { expiresAt: Date.now() + LINK_TTL_MS + 60_000 })));
  });

  it('tampered: a changed signature, a changed payload, a link for file A pointed at file B', async () => {
    const link = await mint(a);
    const [payload = '', sig = ''] = pathOf(link).slice('/api/files/'.length).split('.');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    expectDead(await send(`/api/files/${payload}.${flipped}`));
    const claims = readLink(`${payload}.${sig}`);
    if (claims === undefined) throw new Error('not a link');
    const toB = Buffer.from(
      JSON.stringify([1, claims.keyId, b.id, t.id, CONTOSO, ANN, claims.expiresAt]),
    ).toString('base64url');
    expectDead(await send(`/api/files/${toB}.${sig}`));
    expectDead(await send(`/api/files/${payload}`));
    expectDead(await send('/api/files/not-a-token'));
    // Signed with a key of its own: refused.
    const forged = signLink(randomBytes(32), { ...claims, attachmentId: b.id });
    expectDead(await send(`/api/files/${forged}`));
  });

  it("a genuine link re-signed for another tenant's view of the ticket does not open it", async () => {
    const link = await mint(a);
    expectDead(await send(await resigned(link, { tenantId: FABRIKAM })));
    expectDead(await send(await resigned(link, { ticketId: 'TM-999999' })));
  });

  it('a file deleted after the link was made: the same 404 page', async () => {
    const link = await mint(b);
    const del = await send(b.href, {
      method: 'DELETE',
      headers: { ...bearer(token(STAFF_TENANT, MANAGER)), 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'wrong file' }),
    });
    expect(del.status).toBe(200);
    expectDead(await send(pathOf(link)));
  });

  it('never writes the token to the logs, not even when local mode refuses the request', async () => {
    const link = await mint(a);
    const tokenText = pathOf(link).slice('/api/files/'.length);
    await send(pathOf(link));
    // Local mode (no bot id here) refuses a foreign host and logs the path: with the token cut out.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${app.url}${pathOf(link)}`);
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
    const refused = lines.filter((l) => l.includes('local mode refused'));
    expect(refused.some((l) => l.includes('/api/files/[redacted]'))).toBe(true);
    const [payload = '', sig = ''] = tokenText.split('.');
    expect(lines.filter((l) => l.includes(payload.slice(0, 40)) || l.includes(sig))).toEqual([]);
  });

  it('refused links spend their address allowance; then even a good link waits (429)', async () => {
    const link = await mint(a);
    let answered = 0;
    for (let i = 0; i < 20 && answered !== 429; i++)
      answered = (await send(`/api/files/forged-${i}.x`)).status;
    expect(answered).toBe(429);
    const good = await send(pathOf(link));
    expect(good.status).toBe(429);
    expect(Number(good.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the key of the day', () => {
  it('is one for every instance, and survives a restart (read back from storage)', async () => {
    const settings = app.storage.table(`${app.config.tablePrefix}settings`);
    const day = keyPeriod(Date.now()) + 5;
    const [one, two] = await Promise.all([
      new TableLinkKeys(settings).key(day, true),
      new TableLinkKeys(settings).key(day, true),
    ]);
    expect(one?.length).toBe(32);
    expect(two?.equals(one ?? Buffer.alloc(0))).toBe(true);
    const later = await new TableLinkKeys(settings).key(day, false);
    expect(later?.equals(one ?? Buffer.alloc(0))).toBe(true);
    expect(await new TableLinkKeys(settings).key(day + 1, false)).toBeUndefined();
  });
});
