// The printable reports carry their own strict Content-Security-Policy (nothing loads or runs; only their own
// <style> by hash; never framed by URL) and nosniff, as a header and as a <meta> for the tab's srcdoc print
// frame; and they still render in a real Chromium (Debian's /usr/bin/chromium) with no CSP violation.
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { pageCsp, withCspMeta } from '../../src/adapters/api/page-csp';
import { startTestApp } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { CONTOSO, MANAGER, TAB_ENV } from '../support/tab';

let azurite: TestAzurite;
let app: App;
let browser: Browser;
let token: string;

beforeAll(async () => {
  azurite = await startTestAzurite();
  app = await startTestApp({
    connectionString: azurite.connectionString,
    clock: { now: Date.parse('2026-11-25T10:00:00-05:00') },
    env: { ...TAB_ENV },
  });
  const res = await fetch(`${app.url}/api/auth/local/token?persona=manager:${MANAGER}`, { method: 'POST' });
  token = ((await res.json()) as { access_token: string }).access_token;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
}, 60_000);
afterAll(async () => {
  await browser.close();
  await app.stop();
  await azurite.stop();
});

const REPORTS = [
  `/api/reports/sla?month=2026-11&tenant=${CONTOSO}&format=html`,
  '/api/reports/availability?month=2026-11&format=html',
];

describe('the policy', () => {
  it('hashes each <style> and allows nothing else', () => {
    const html = '<html><head><style>p{}</style></head><body><style>a{}</style></body></html>';
    const csp = pageCsp(html);
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*' 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    expect(pageCsp('<p>no style</p>')).toContain("style-src 'none'");
    expect(withCspMeta(html)).toContain(
      `<head><meta http-equiv="Content-Security-Policy" content="${pageCsp(html, false)}">`,
    );
    expect(pageCsp(html, false)).not.toContain('frame-ancestors');
  });
});

describe.each(REPORTS)('%s', (path) => {
  it('is served with its own strict CSP and nosniff', async () => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(pageCsp(body));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toContain('script-src');
    expect(body).toContain('<meta http-equiv="Content-Security-Policy"');
  });

  /** Console errors and warnings, and the CSP violations the page reports. */
  function watch(page: Page): string[] {
    const seen: string[] = [];
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') seen.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
    return seen;
  }

  it('renders in Chromium, styled, with no CSP violation (opened as a page)', async () => {
    const page = await browser.newPage({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const seen = watch(page);
    const res = await page.goto(`${app.url}${path}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
    // The page's own <style> applied: table headers are shaded.
    const shade = await page
      .locator('th')
      .first()
      .evaluate((th) => getComputedStyle(th).backgroundColor);
    expect(shade).toBe('rgb(245, 245, 245)');
    expect(seen).toEqual([]);
    await page.close();
  });

  it('renders the same in the print frame the tab makes (an iframe srcdoc)', async () => {
    const html = await (
      await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${app.url}/tab/index.html`);
    await page.evaluate(async (doc) => {
      const frame = document.createElement('iframe');
      frame.title = 'Printable report';
      frame.srcdoc = doc;
      const loaded = new Promise((resolve) => (frame.onload = resolve));
      document.body.appendChild(frame);
      await loaded;
    }, html);
    const frame = page.frameLocator('iframe[title="Printable report"]');
    const shade = await frame
      .locator('th')
      .first()
      .evaluate((th) => getComputedStyle(th).backgroundColor);
    expect(shade).toBe('rgb(245, 245, 245)');
    expect(seen.filter((s) => /content security policy|refused/i.test(s))).toEqual([]);
    await page.close();
  });
});
