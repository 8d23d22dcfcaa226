// The download links' tokens on their own (an injected clock): made and checked with the same key; refused when
// expired, when any claim or the signature changes, when signed with another key or an old day's key; and the
// token cut out of logged paths and trace attributes.
import { randomBytes } from 'node:crypto';
import {
  KEY_PERIOD_MS,
  keyPeriod,
  LINK_TTL_MS,
  readLink,
  signLink,
  verifyLink,
  type LinkClaims,
} from '../../src/adapters/api/file-link-token';
import { loggedPath, redactedSpanAttributes } from '../../src/adapters/http/redact';

const NOW = Date.UTC(2026, 10, 25, 13, 0);
const key = randomBytes(32);
const other = randomBytes(32);
const keys = new Map([
  [keyPeriod(NOW), key],
  [keyPeriod(NOW) - 1, other],
  [keyPeriod(NOW) - 2, other],
]);
const lookup = (id: number) => Promise.resolve(keys.get(id));

const claims: LinkClaims = {
  keyId: keyPeriod(NOW),
  attachmentId: 'f1',
  ticketId: 'TM-1042',
  tenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
  viewerId: 'cccccccc-0000-4000-8000-000000000001',
  expiresAt: NOW + LINK_TTL_MS,
};

describe('a link token', () => {
  const token = signLink(key, claims);

  it('checks out with its key until it expires', async () => {
    expect(await verifyLink(token, lookup, NOW)).toEqual(claims);
    expect(await verifyLink(token, lookup, NOW + LINK_TTL_MS - 1)).toEqual(claims);
    expect(await verifyLink(token, lookup, NOW + LINK_TTL_MS)).toBeUndefined();
  });

  it('is refused when a claim changes under the same signature', async () => {
    const sig = token.split('.')[1] ?? '';
    for (const over of [{ attachmentId: 'f2' }, { tenantId: 'x' }, { ticketId: 'TM-1' }, { viewerId: 'y' }]) {
      const payload = signLink(key, { ...claims, ...over }).split('.')[0] ?? '';
      expect(await verifyLink(`${payload}.${sig}`, lookup, NOW)).toBeUndefined();
    }
  });

  it('is refused with another key, a flipped signature bit, or junk', async () => {
    expect(await verifyLink(signLink(randomBytes(32), claims), lookup, NOW)).toBeUndefined();
    const [payload = '', sig = ''] = token.split('.');
    const bytes = Buffer.from(sig, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(await verifyLink(`${payload}.${bytes.toString('base64url')}`, lookup, NOW)).toBeUndefined();
    for (const junk of ['', '.', 'a.b.c', `${payload}.`, `${payload}.${sig}x`, 'x'.repeat(2_000)])
      expect(await verifyLink(junk, lookup, NOW)).toBeUndefined();
  });

  it("accepts yesterday's key for a link made just before midnight, never an older day's", async () => {
    const midnight = (keyPeriod(NOW) + 0) * KEY_PERIOD_MS;
    const late = { ...claims, keyId: keyPeriod(NOW) - 1, expiresAt: midnight + 60_000 };
    const t = signLink(other, late);
    expect(await verifyLink(t, lookup, midnight + 30_000)).toEqual(late);
    const old = { ...claims, keyId: keyPeriod(NOW) - 2 };
    expect(await verifyLink(signLink(other, old), lookup, NOW)).toBeUndefined();
  });

  it('reads back what it names, and holds nothing but those claims', () => {
    expect(readLink(token)).toEqual(claims);
    const text = Buffer.from(token.split('.')[0] ?? '', 'base64url').toString();
    expect(JSON.parse(text)).toEqual([
      1,
      claims.keyId,
      'f1',
      'TM-1042',
      claims.tenantId,
      claims.viewerId,
      claims.expiresAt,
    ]);
  });
});

describe('logged paths and traces', () => {
  it('cut the token out of a link path, and leave other paths alone', () => {
    expect(loggedPath('/api/files/abc.def')).toBe('/api/files/[redacted]');
    expect(loggedPath('/API/FILES/abc.def?x=1')).toBe('/api/files/[redacted]?x=1');
    expect(loggedPath('/api/tickets/TM-1/attachments/f1')).toBe('/api/tickets/TM-1/attachments/f1');
  });

  it("replace a link request's address attributes in its trace span", () => {
    expect(redactedSpanAttributes({ url: '/api/files/abc.def', headers: { host: 'desk.example' } })).toEqual({
      'url.path': '/api/files/[redacted]',
      'http.target': '/api/files/[redacted]',
      'http.url': 'http://desk.example/api/files/[redacted]',
    });
    expect(redactedSpanAttributes({ url: '/api/tickets', headers: {} })).toEqual({});
  });
});
