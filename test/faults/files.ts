// Files on tickets under attack, on the hostile-input stage (tenant A's worked tickets, one with a file an
// engineer uploaded). Isolation: B's customer asking for A's file by id gets exactly the 404 of a missing one,
// audited, no bytes; deleting is for managers only. Authentication: no, expired, forged, unsigned or garbage
// tokens get 401 and no bytes on every file route. Fuzz: hostile X-File-Name values, Content-Length values,
// bodies longer or shorter than declared and declared types that lie: each is refused changing nothing, or
// stored under a cleaned name. Used by `npm run test:faults` (rows isolation, auth, fuzz) and files.test.ts.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { AttachmentView } from '../../src/adapters/api/contract';
import { ssoClaims } from '../support/tab';
import type { Stage } from './hostile';
import type { ScenarioResult } from './rig';
import { differences, snapshot } from './verify';
import { CUSTOMER_TENANTS, ENGINEERS, MANAGER, VENDOR } from './world';

const [A_TENANT] = CUSTOMER_TENANTS[0];
const [B_TENANT] = CUSTOMER_TENANTS[1];
const A_USER = 'a0000000-0000-4000-8000-0000000000a1';
const B_USER = 'b0000000-0000-4000-8000-0000000000b1';
const MISSING = 'TM-987654';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const engineer = (s: Stage): string => s.entra.mintToken(ssoClaims(VENDOR, ENGINEERS[0][0]));
const manager = (s: Stage): string => s.entra.mintToken(ssoClaims(VENDOR, MANAGER[0]));

async function call(
  s: Stage,
  method: string,
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  body?: Uint8Array<ArrayBuffer> | string,
): Promise<Answer> {
  const res = await fetch(`${s.app.url}${path}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A's file: uploaded once per stage by an engineer, with bytes nobody else may see. */
const files = new WeakMap<Stage, { view: AttachmentView; ticketId: string; secret: string }>();

async function aFile(s: Stage): Promise<{ view: AttachmentView; ticketId: string; secret: string }> {
  const known = files.get(s);
  if (known !== undefined) return known;
  const ticketId = s.a.ids[0] ?? '';
  const secret = `SECRET-BYTES-${randomUUID()}`;
  const up = await upload(s, ticketId, 'secret-trace.txt', Buffer.from(secret));
  if (up.status !== 201) throw new Error(`files: the upload answered ${up.status} ${up.text}`);
  await s.app.background.drain();
  const made = { view: (JSON.parse(up.text) as { attachment: AttachmentView }).attachment, ticketId, secret };
  files.set(s, made);
  return made;
}

function upload(s: Stage, ticketId: string, name: string, body: Buffer, more: Record<string, string> = {}) {
  return call(
    s,
    'POST',
    `/api/tickets/${ticketId}/attachments`,
    engineer(s),
    { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), ...more },
    new Uint8Array(body),
  );
}

/** The ways to read a file: each must answer another tenant as it answers a missing file. */
const READS: readonly [string, string, Record<string, string>][] = [
  ['GET', 'GET', {}],
  ['HEAD', 'HEAD', {}],
  ['GET with a range', 'GET', { range: 'bytes=0-9' }],
  ['GET with If-None-Match *', 'GET', { 'if-none-match': '*' }],
];

/** Tenant B's customer after A's file by id; staff-only deletion refused to customers and engineers. */
export async function filesIsolation(s: Stage, result: ScenarioResult): Promise<void> {
  const { view, ticketId, secret } = await aFile(s);
  const b = s.entra.mintToken(ssoClaims(B_TENANT, B_USER));
  const a = s.entra.mintToken(ssoClaims(A_TENANT, A_USER));
  const before = await snapshot(s.app.storage, s.prefix);
  const day = new Date(s.clock.now).toISOString().slice(0, 10);
  const audited = async (): Promise<number> =>
    (await s.app.deps.audit.day(day)).filter(
      (e) => e.action === 'api.attachment' && e.target === ticketId && e.tenantId === B_TENANT,
    ).length;
  const leak = (what: string): void => {
    result.leaked++;
    result.failures.push(`leak: ${what}`);
  };
  const shown = (r: Answer): string =>
    `${r.status} ${['etag', 'content-disposition', 'content-length', 'content-range'].map((h) => r.headers.get(h) ?? '-').join(' ')} ${r.text}`;
  for (const [name, method, headers] of READS) {
    const auditBefore = await audited();
    const real = await call(s, method, view.href, b, headers);
    const control = await call(s, method, `/api/tickets/${MISSING}/attachments/${view.id}`, b, headers);
    result.operations += 2;
    result.faults++;
    if (real.status >= 400) result.userErrors++;
    if (real.status !== 404 || shown(real) !== shown(control))
      leak(
        `files: ${name} of A's file answers B differently from a missing one: ${shown(real).slice(0, 200)}`,
      );
    if (real.text.includes(secret) || real.text.includes(view.name)) leak(`files: ${name} shows A's file`);
    if ((await audited()) <= auditBefore) result.failures.push(`files: ${name} by B was not audited`);
  }
  // Deleting is for managers: A's own customer, B and an engineer are refused, and the file stays.
  for (const [who, token] of [
    ["A's customer", a],
    ["B's customer", b],
    ['an engineer', engineer(s)],
  ] as const) {
    const r = await call(
      s,
      'DELETE',
      view.href,
      token,
      { 'content-type': 'application/json' },
      '{"reason":"x"}',
    );
    result.operations++;
    result.faults++;
    if (r.status !== 403) result.failures.push(`files: DELETE by ${who} answered ${r.status}, not 403`);
  }
  const up = await call(
    s,
    'POST',
    `/api/tickets/${ticketId}/attachments`,
    a,
    { 'content-type': 'application/octet-stream', 'x-file-name': 'x.txt' },
    'x',
  );
  result.operations++;
  result.faults++;
  if (up.status !== 403)
    result.failures.push(`files: a customer's tab upload answered ${up.status}, not 403`);
  // The control: A's customer still downloads the file whole.
  const own = await call(s, 'GET', view.href, a);
  result.operations++;
  if (own.status !== 200 || own.text !== secret)
    result.failures.push(`files: A's customer could not download their file (${own.status})`);
  const changed = differences(before, await snapshot(s.app.storage, s.prefix));
  if (changed.length > 0)
    result.failures.push(`files: refusals changed storage: ${changed.slice(0, 5).join(', ')}`);
  result.notes.push(
    `files: B after A's file ${READS.length} ways, each as a missing file, audited; DELETE refused to 3`,
  );
}

function unsigned(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/** Bad tokens on every file route: 401 and no bytes; nothing stored changes. */
export async function filesAuth(s: Stage, result: ScenarioResult): Promise<void> {
  const { view, ticketId, secret } = await aFile(s);
  const claims = ssoClaims(A_TENANT, A_USER);
  const staff = ssoClaims(VENDOR, MANAGER[0]);
  const bad: [string, string | undefined][] = [
    ['no token', undefined],
    ['expired', s.entra.mintToken(claims, { expired: true })],
    ['forged (another key)', s.entra.mintToken(claims, { foreignKey: true })],
    ["forged manager's", s.entra.mintToken(staff, { foreignKey: true })],
    ['expired manager', s.entra.mintToken(staff, { expired: true })],
    ['alg none', unsigned({ ...claims })],
    ['wrong audience', s.entra.mintToken({ ...claims, aud: 'api://someone-else' })],
    ['garbage', 'not.a.jwt'],
  ];
  const before = await snapshot(s.app.storage, s.prefix);
  const routes: [string, string, Record<string, string>, string | undefined][] = [
    ...READS.map(([n, m, h]) => [n, m, h, undefined] as [string, string, Record<string, string>, undefined]),
    ['DELETE', 'DELETE', { 'content-type': 'application/json' }, '{"reason":"x"}'],
  ];
  for (const [name, token] of bad) {
    for (const [route, method, headers, body] of routes) {
      const r = await call(s, method, view.href, token, headers, body);
      result.operations++;
      result.faults++;
      if (r.status !== 401)
        result.failures.push(`files: ${route} with ${name}: answered ${r.status}, not 401`);
      if (r.text.includes(secret)) result.failures.push(`files: ${route} with ${name} sent the file's bytes`);
    }
    const up = await call(
      s,
      'POST',
      `/api/tickets/${ticketId}/attachments`,
      token,
      { 'content-type': 'application/octet-stream', 'x-file-name': 'x.txt' },
      'x',
    );
    result.operations++;
    result.faults++;
    if (up.status !== 401) result.failures.push(`files: upload with ${name}: answered ${up.status}, not 401`);
  }
  const changed = differences(before, await snapshot(s.app.storage, s.prefix));
  if (changed.length > 0)
    result.failures.push(`files: refused tokens changed storage: ${changed.slice(0, 5).join(', ')}`);
  result.notes.push(
    `files: ${bad.length} kinds of bad token × ${routes.length + 1} file routes refused (401), no bytes`,
  );
}

/** A request written byte for byte (fetch will not send a lying Content-Length); the status line's code. */
function raw(s: Stage, head: string, body: Buffer, close: 'end' | 'wait'): Promise<number> {
  const url = new URL(s.app.url);
  return new Promise((done) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      done(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0));
    });
    socket.write(head.replace(/\n/g, '\r\n'));
    socket.write(body);
    if (close === 'end') socket.end();
  });
}

/** A stored name is clean when it has no path, control, format or bidi characters, and at most 150 characters. */
function unclean(name: string): string | undefined {
  if (Array.from(name).length > 150) return 'longer than 150 characters';
  if (/[/\\]/.test(name)) return 'a path separator';
  if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(name)) return 'a control or format character';
  if (/^[.\s]|[.\s]$/.test(name) || name === '') return 'dots or spaces at an end';
  if (/["<>:|?*]/.test(name)) return 'a character Windows refuses';
  return undefined;
}

const NAMES: readonly string[] = [
  '../../etc/passwd.txt',
  '..\\..\\windows\\win.ini.txt',
  '..',
  '.',
  '...',
  '/',
  'C:\\Windows\\System32\\cmd.exe',
  'report\u202Efdp.txt',
  'evil\u202Egpj.exe',
  '\u2066isolated\u2069.log',
  '\u200Bzero\u200Dwidth.png',
  'nul\u0000byte.txt',
  'name.txt\u0000.exe',
  'crlf\r\nX-Injected: 1.txt',
  'tab\tand\u0007bell.log',
  'CON.txt',
  'lpt1.log',
  '<script>alert(1)</script>.txt',
  '"quoted"; filename=evil.exe.txt',
  'ünïcödé 名前 😀.txt',
  `${'x'.repeat(10_000)}.txt`,
  `${'é'.repeat(3_000)}.log`,
  `a.${'t'.repeat(30)}`,
  ' ',
];

/** Hostile uploads against tenant A's second ticket; accepted ones are checked, then deleted by a manager. */
export async function filesFuzz(s: Stage, result: ScenarioResult): Promise<void> {
  const ticketId = s.a.ids[1] ?? '';
  const start = await s.app.tickets.get({ kind: 'staff' }, ticketId);
  if (!start.ok) throw start.error;
  const eventsBefore = start.value.eventCount;
  let accepted = 0;
  const refusedOrStored = async (what: string, r: Answer, sent: number): Promise<void> => {
    result.operations++;
    result.faults++;
    if (r.status >= 500) result.failures.push(`files: ${what} answered ${r.status}`);
    if (r.status >= 400) {
      result.userErrors++;
      return;
    }
    if (r.status !== 201) {
      result.failures.push(`files: ${what} answered ${r.status}`);
      return;
    }
    accepted++;
    const view = (JSON.parse(r.text) as { attachment: AttachmentView }).attachment;
    const why = unclean(view.name);
    if (why !== undefined)
      result.failures.push(`files: ${what} was stored as ${JSON.stringify(view.name)}: ${why}`);
    if (view.size !== sent)
      result.failures.push(`files: ${what} stored ${view.size} bytes, ${sent} were declared`);
    const got = await call(s, 'GET', view.href, engineer(s));
    const disposition = got.headers.get('content-disposition') ?? '';
    if (
      got.status !== 200 ||
      got.headers.get('x-content-type-options') !== 'nosniff' ||
      !(got.headers.get('content-security-policy') ?? '').includes('sandbox') ||
      !/^attachment; filename="[A-Za-z0-9._ ()-]*"; filename\*=UTF-8''[A-Za-z0-9._~%!-]*$/.test(disposition)
    )
      result.failures.push(`files: ${what} downloads unsafely: ${got.status} ${disposition.slice(0, 120)}`);
    const del = await call(
      s,
      'DELETE',
      view.href,
      manager(s),
      { 'content-type': 'application/json' },
      '{"reason":"fuzz"}',
    );
    if (del.status !== 200) result.failures.push(`files: deleting ${what} answered ${del.status}`);
  };
  for (const name of NAMES)
    await refusedOrStored(
      `X-File-Name ${JSON.stringify(name.slice(0, 40))}`,
      await upload(s, ticketId, name, Buffer.from('hello')),
      5,
    );
  // Names sent as they are, not percent-encoded: broken escapes, raw bytes.
  for (const value of ['%E0%A4%A', '%', '%00.txt', 'a%2F..%2F..%2Fb.txt', '\u00ff\u00fe.txt']) {
    const r = await call(
      s,
      'POST',
      `/api/tickets/${ticketId}/attachments`,
      engineer(s),
      {
        'content-type': 'application/octet-stream',
        'x-file-name': value,
      },
      'hello',
    );
    await refusedOrStored(`raw X-File-Name ${JSON.stringify(value)}`, r, 5);
  }
  // Declared types that lie about the name's extension.
  const script = Buffer.from('<script>alert(1)</script>');
  const lies: readonly (readonly [string, string])[] = [
    ['a.png', 'text/html'],
    ['a.html', 'text/html'],
    ['a.svg', 'image/svg+xml'],
    ['a.txt', 'application/x-msdownload'],
    ['a.pdf', 'application/javascript'],
    ['a.png', 'image/png;charset=<script>'],
  ];
  for (const [name, type] of lies) {
    const r = await upload(s, ticketId, name, script, { 'x-file-type': type });
    await refusedOrStored(`${name} declared ${type}`, r, script.length);
  }
  // HTML bytes under a name and type that agree: stored, and served as the listed type with nosniff and sandbox.
  const html = Buffer.from('<html><script>alert(1)</script>');
  const png = await upload(s, ticketId, 'a.png', html, { 'x-file-type': 'image/png' });
  await refusedOrStored('HTML bytes named a.png', png, html.length);
  // Lying and hostile Content-Length values, written byte for byte.
  const head = (lines: string): string =>
    `POST /api/tickets/${ticketId}/attachments HTTP/1.1\nhost: ${new URL(s.app.url).host}\nauthorization: Bearer ${engineer(s)}\ncontent-type: application/octet-stream\nx-file-name: cl.txt\nconnection: close\n${lines}\n`;
  const ten = Buffer.from('0123456789');
  for (const [what, lines, close, stored] of [
    ['Content-Length -1', 'content-length: -1\n', 'end', 0],
    ['Content-Length abc', 'content-length: abc\n', 'end', 0],
    ['two Content-Lengths', 'content-length: 10\ncontent-length: 20\n', 'end', 0],
    ['Content-Length with chunked', 'content-length: 10\ntransfer-encoding: chunked\n', 'end', 0],
    ['Content-Length 10^15', 'content-length: 1000000000000000\n', 'end', 0],
    ['a body longer than declared', 'content-length: 4\n', 'wait', 4],
    ['a body shorter than declared, then gone', 'content-length: 1000\n', 'end', 0],
  ] as const) {
    const status = await raw(s, head(lines), ten, close);
    result.operations++;
    result.faults++;
    if (status >= 500) result.failures.push(`files: ${what} answered ${status}`);
    if (status >= 400 || status === 0) result.userErrors++;
    // A longer body: its declared bytes are the upload (201), the rest a malformed next request, which the
    // server may answer (400) and close on before the upload's answer is written: either is fine.
    if (stored === 0 ? status === 201 : status !== 201 && status !== 400)
      result.failures.push(`files: ${what} answered ${status}`);
  }
  // Wait until uploads still running on the server (their client gone) have finished.
  const seen = async (): Promise<string> => {
    let blobs = 0;
    for await (const blob of s.app.attachments['deps'].blobs.list())
      if (blob.key.ticketId === ticketId) blobs++;
    const rows = await s.app.attachments['deps'].rows.list(A_TENANT, ticketId);
    return `${blobs}/${rows.map((a) => `${a.id}${a.deleted === undefined ? '' : '-'}`).join(',')}`;
  };
  for (let last = '', same = 0; same < 5;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await seen();
    same = now === last ? same + 1 : 0;
    last = now;
  }
  // The longer body was stored as its declared 4 bytes (the rest was never part of the upload).
  const live = await s.app.attachments.list({ kind: 'staff' }, ticketId);
  for (const f of live.ok ? live.value : []) {
    if (f.size !== 4) result.failures.push(`files: ${f.name} kept ${f.size} bytes`);
    const mia = { id: MANAGER[0], name: MANAGER[1], role: 'manager' } as const;
    await s.app.attachments.remove(mia, ticketId, f.id, 'fuzz', s.clock.now);
  }
  // Every file ever stored on the ticket: a cleaned name, deleted, two events each; no blob left.
  const stored = await s.app.attachments['deps'].rows.list(A_TENANT, ticketId);
  for (const f of stored) {
    const why = unclean(f.name);
    if (why !== undefined) result.failures.push(`files: stored as ${JSON.stringify(f.name)}: ${why}`);
    if (f.deleted === undefined) result.failures.push(`files: ${f.name} was not deleted`);
  }
  if (!(await seen()).startsWith('0/')) result.failures.push('files: blobs are left on the fuzz ticket');
  const after = await s.app.tickets.get({ kind: 'staff' }, ticketId);
  if (!after.ok) throw after.error;
  if ((after.value.attachmentCount ?? 0) !== 0)
    result.failures.push(`files: the ticket still counts ${after.value.attachmentCount} files`);
  if (after.value.eventCount !== eventsBefore + 2 * stored.length)
    result.failures.push(
      `files: ${after.value.eventCount - eventsBefore} events for ${stored.length} stored uploads (2 each)`,
    );
  result.notes.push(
    `files: ${NAMES.length + 19} hostile uploads (${accepted} answered 201), ${stored.length} stored under cleaned names, then deleted`,
  );
}
