/// <reference lib="dom" />
// The tab's shell in a real Chromium, its Content-Security-Policy enforced as served: every view of every
// persona at 320, 400 and 1280 px without sideways scrolling and without one CSP violation; inside a frame
// (as in Teams) teams-js fetches its list of valid origins, which the CSP allows and nothing else of that
// host; the views' menu on phones; hashed files cached for a year, index.html never, the build's brotli
// copies sent as is.
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import restify from 'restify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveTab, start, TAB_DIST } from '../../src/adapters/server';
import {
  becomePersona,
  executablePath,
  PERSONAS,
  showView,
  startTabWorld,
  type PersonaName,
  type TabWorld,
} from '../support/tab-world';

/** Where teams-js 2.x fetches its list of valid Teams origins (its validOriginsCdnEndpoint). */
const VALID_DOMAINS = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

describe('the tab files as served', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tab-br-'));
  let url = '';
  let stop = async (): Promise<void> => {};
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SLA Desk</title>');
    writeFileSync(join(dir, 'assets', 'a-1.js'), 'console.log("built");\n');
    writeFileSync(join(dir, 'assets', 'a-1.js.br'), brotliCompressSync('console.log("from the build");\n'));
    writeFileSync(join(dir, 'assets', 'b-1.js'), 'console.log("newer than its copy");\n');
    writeFileSync(join(dir, 'assets', 'b-1.js.br'), brotliCompressSync('console.log("stale");\n'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'assets', 'b-1.js.br'), past, past);
    const server = restify.createServer();
    serveTab(server, dir);
    const running = await start(server, '127.0.0.1', 0);
    url = running.url;
    stop = () => running.stop();
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${url}${path}`, { headers: { 'accept-encoding': 'br' } });

  it('sends the brotli copy the build made, unless the file is newer than it', async () => {
    const built = await get('/tab/assets/a-1.js');
    expect(built.headers.get('content-encoding')).toBe('br');
    // fetch decompresses: the body is the build's copy, not the file compressed now.
    expect(await built.text()).toBe('console.log("from the build");\n');
    const stale = await get('/tab/assets/b-1.js');
    expect(await stale.text()).toBe('console.log("newer than its copy");\n');
  });

  it('caches hashed files for a year and index.html never; the CSP allows teams-js its one fetch', async () => {
    const asset = await get('/tab/assets/a-1.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const html = await get('/tab/index.html');
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const csp = (html.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
    expect(csp).toContain(`connect-src 'self' ${VALID_DOMAINS}`);
    expect(csp).toContain("script-src 'self'");
  });

  it("the real build's entry is small and imports no other chunk before it runs (it starts signing in)", () => {
    const html = readFileSync(join(TAB_DIST, 'index.html'), 'utf8');
    const entry = /<script type="module" crossorigin src="\/tab\/assets\/(index-[\w-]+\.js)"/.exec(html)?.[1];
    if (entry === undefined) throw new Error('no entry script in index.html');
    const code = readFileSync(join(TAB_DIST, 'assets', entry), 'utf8');
    expect(code.length).toBeLessThan(10_000);
    const statics = [...code.matchAll(/(?:from|import)\s*"\.\/([\w-]+\.js)"/g)].map((m) => m[1]);
    expect(statics.filter((f) => !(f ?? '').startsWith('rolldown-runtime-'))).toEqual([]);
  });

  it("the real build's scripts have brotli copies, and those are what is sent", () => {
    const assets = join(TAB_DIST, 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(1);
    for (const f of scripts)
      expect(
        brotliDecompressSync(readFileSync(join(assets, `${f}.br`))).equals(readFileSync(join(assets, f))),
      ).toBe(true);
  });
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('the shell in Chromium', () => {
  let world: TabWorld;
  let browser: Browser;

  beforeAll(async () => {
    world = await startTabWorld();
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await world.stop();
  });

  /**
   * A context at `width` whose every frame records CSP violations (window.__csp) and whose requests to the
   * teams-js host get a local answer (nothing leaves 127.0.0.1); console CSP errors are collected too.
   */
  async function context(
    width: number,
  ): Promise<{ ctx: BrowserContext; console: string[]; teamsHost: string[] }> {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, timezoneId: 'Europe/London' });
    await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
    });`);
    const teamsHost: string[] = [];
    await ctx.route('https://res.cdn.office.net/**', (route) => {
      teamsHost.push(route.request().url());
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com'] }),
      });
    });
    const console: string[] = [];
    ctx.on('console', (m) => {
      if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) console.push(m.text());
    });
    return { ctx, console, teamsHost };
  }

  const violations = (page: Page): Promise<string[]> => page.evaluate('window.__csp ?? []');

  /** How far the page scrolls sideways (0: it does not), and the widest elements when it does. */
  const sideways = (page: Page): Promise<{ over: number; culprits: string[] }> =>
    page.evaluate(`(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      const culprits = over <= 0 ? [] : [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(-5)
        .map((e) => e.tagName + '.' + String(e.className).slice(0, 60) + ' ' + Math.round(e.getBoundingClientRect().right));
      return { over, culprits };
    })()`);

  it.each(Object.keys(PERSONAS) as PersonaName[])(
    'as %s: every view at 320, 400 and 1280 px, no sideways scrolling and no CSP violation',
    async (persona) => {
      const { ctx, console } = await context(320);
      const page = await ctx.newPage();
      await page.goto(`${world.app.url}/tab/index.html#/queue`);
      await becomePersona(page, persona);
      const found: Record<string, unknown> = {};
      for (const width of [320, 400, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        for (const view of world.views(persona)) {
          await showView(page, view);
          const side = await sideways(page);
          if (side.over > 0) found[`${width} px ${view.name}`] = side;
        }
      }
      expect(found).toEqual({});
      expect(await violations(page)).toEqual([]);
      expect(console).toEqual([]);
      await ctx.close();
    },
    120_000,
  );

  it('in a frame, as in Teams: teams-js fetches its valid origins, allowed; nothing else of that host is', async () => {
    const { ctx, console, teamsHost } = await context(1280);
    const page = await ctx.newPage();
    // A host page on the app's own origin (frame-ancestors allows 'self'), answered by the test.
    await page.route(`${world.app.url}/host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>host</title><iframe src="/tab/index.html#/queue" width="1200" height="700"></iframe>`,
      }),
    );
    await page.goto(`${world.app.url}/host.html`);
    const frame = page.frameLocator('iframe');
    await frame.locator('main h2#queue-title').waitFor();
    // teams-js asks for its list as it loads; wait (a bounded while) for the request to reach the route.
    for (let i = 0; i < 50 && teamsHost.length === 0; i++) await page.waitForTimeout(100);
    expect(teamsHost).toEqual([VALID_DOMAINS]);
    const tab = page.frames().find((f) => f.url().includes('/tab/index.html'));
    if (tab === undefined) throw new Error('no tab frame');
    expect(await tab.evaluate('window.__csp ?? []')).toEqual([]);
    expect(console).toEqual([]);
    // The allowance is that one file: another address on the same host is refused by the CSP.
    const other = await tab.evaluate(
      `fetch('https://res.cdn.office.net/other.json').then(() => 'fetched', () => 'refused')`,
    );
    expect(other).toBe('refused');
    expect(await tab.evaluate('window.__csp ?? []')).toEqual([
      'connect-src https://res.cdn.office.net/other.json',
    ]);
    expect(teamsHost).toEqual([VALID_DOMAINS]);
    await ctx.close();
  });

  it('on a phone the views are one button naming the current view; at 1280 they are links', async () => {
    const { ctx } = await context(375);
    const page = await ctx.newPage();
    await page.goto(`${world.app.url}/tab/index.html#/queue`);
    await becomePersona(page, 'manager');
    const menu = page.getByRole('navigation', { name: 'Views' }).getByRole('button');
    expect(await menu.textContent()).toBe('Queue');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('main h2#dash-title').waitFor();
    expect(await menu.textContent()).toBe('Dashboard');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    // Tables stack: each cell under its column's label.
    const cell = page.locator('[data-testid="at-risk-row"] td').first();
    expect(await cell.getAttribute('data-label')).toBe('Ticket');
    expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Ticket"');
    await page.setViewportSize({ width: 1280, height: 800 });
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('button').count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).toBe('page');
    expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('none');
    await ctx.close();
  });
});
