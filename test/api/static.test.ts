// The built tab's files over real HTTP: compressed as the client accepts (brotli, else gzip, else none),
// hashed assets cached for a year and index.html never, and nothing outside the build reachable.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import restify from 'restify';
import { encodingFor, serveTab, start, type RunningServer } from '../../src/adapters/server';

const dir = mkdtempSync(join(tmpdir(), 'tab-'));
const script = `console.log(${JSON.stringify('SLA Desk '.repeat(2_000))});\n`;
let running: RunningServer;

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SLA Desk</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(dir, 'assets', 'logo-abc123.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const server = restify.createServer();
  serveTab(server, dir);
  running = await start(server, '127.0.0.1', 0);
});
afterAll(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function get(path: string, acceptEncoding?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${running.url}${path}`,
      { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('sends scripts brotli-compressed when accepted, the same bytes once decompressed, cached for a year', async () => {
  const r = await get('/tab/assets/index-abc123.js', 'gzip, deflate, br');
  expect(r.status).toBe(200);
  expect(r.headers['content-encoding']).toBe('br');
  expect(r.headers['vary']).toBe('accept-encoding');
  expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(Number(r.headers['content-length'])).toBe(r.body.length);
  expect(r.body.length).toBeLessThan(script.length / 10);
  expect(brotliDecompressSync(r.body).toString()).toBe(script);
});

it('falls back to gzip, then to the plain file', async () => {
  const gz = await get('/tab/assets/index-abc123.js', 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.body).toString()).toBe(script);
  const plain = await get('/tab/assets/index-abc123.js');
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body.toString()).toBe(script);
  const refused = await get('/tab/assets/index-abc123.js', 'br;q=0, gzip;q=0');
  expect(refused.headers['content-encoding']).toBeUndefined();
});

it('never caches index.html, and leaves images as they are', async () => {
  const html = await get('/tab/index.html', 'br');
  expect(html.headers['cache-control']).toBe('no-cache');
  expect(html.headers['content-security-policy']).toContain("default-src 'self'");
  expect(brotliDecompressSync(html.body).toString()).toContain('<title>SLA Desk</title>');
  const png = await get('/tab/assets/logo-abc123.png', 'br');
  expect(png.headers['content-encoding']).toBeUndefined();
  expect(png.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});

it('reaches nothing outside the build', async () => {
  expect((await get('/tab/..%2f..%2fpackage.json', 'br')).status).toBe(404);
});

it('reads Accept-Encoding as HTTP says (q-values, wildcards, case)', () => {
  expect(encodingFor('gzip, deflate, br')).toBe('br');
  expect(encodingFor('GZIP')).toBe('gzip');
  expect(encodingFor('br;q=0, gzip;q=0.5')).toBe('gzip');
  expect(encodingFor('*')).toBe('br');
  expect(encodingFor('identity')).toBeUndefined();
  expect(encodingFor(undefined)).toBeUndefined();
});
