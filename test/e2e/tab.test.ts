// The tab in a real Chromium (playwright-core, Debian's /usr/bin/chromium): the app in local mode with
// seeded tickets; as a manager the queue is in deadline order with the right states and the dashboard shows
// the API's numbers; as a customer only that tenant's tickets. Screenshots go to test-results/screenshots
// (CI keeps the folder); axe-core finds no serious or critical accessibility violation.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { act, CONTOSO, ENGINEER, FABRIKAM, getJson, MANAGER, seed, TAB_ENV } from '../support/tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';
const SHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

if (executablePath === undefined && !REQUIRED) {
  console.warn(
    '\n' +
      '********************************************************************************\n' +
      '* BROWSER TESTS SKIPPED: no Chromium found (looked for /usr/bin/chromium).      *\n' +
      '* Install it with:  apt-get update && apt-get install -y chromium               *\n' +
      '* or set CHROMIUM_PATH. CI (.ci/run) installs it and sets REQUIRE_BROWSER=1.    *\n' +
      '********************************************************************************\n',
  );
}

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('the tab in Chromium', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 07:00') };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    azurite = await startTestAzurite();
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock,
      env: {
        ...TAB_ENV,
        ONCALL_ROTATION: JSON.stringify({
          start: '2026-11-23',
          handover: '09:00',
          weeks: [
            { primary: ENGINEER, secondary: MANAGER },
            { primary: MANAGER, secondary: ENGINEER },
          ],
        }),
      },
    });
    const waiting = await seed(app, clock, et('2026-11-25 07:00'), {
      priority: 'P3',
      category: 'provisioning',
      title: 'Numbers for the new office',
    });
    await act(app, clock, et('2026-11-25 07:30'), waiting.id, {
      kind: 'ask',
      text: 'Which numbers exactly?',
    });
    const replied = await seed(app, clock, et('2026-11-25 08:00'), {
      priority: 'P2',
      title: 'Transfers fail for two accounts',
    });
    await act(app, clock, et('2026-11-25 08:30'), replied.id, { kind: 'reply', text: 'Looking now' });
    const atRisk = await seed(app, clock, et('2026-11-25 08:50'), {
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      priority: 'P2',
      title: 'Voicemail delayed',
    });
    const breached = await seed(app, clock, et('2026-11-25 09:00'), {
      priority: 'P1',
      category: 'outage',
      title: 'No calls at all',
    });
    const fresh = await seed(app, clock, et('2026-11-25 10:00'), {
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      priority: 'P3',
      category: 'provisioning',
      title: 'Port two numbers',
    });
    Object.assign(ids, {
      waiting: waiting.id,
      replied: replied.id,
      atRisk: atRisk.id,
      breached: breached.id,
      fresh: fresh.id,
    });
    clock.now = et('2026-11-25 10:30');
    await app.background.drain();
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  async function tokenFor(persona: string): Promise<string> {
    const res = await fetch(`${app.url}/api/auth/local/token?persona=${encodeURIComponent(persona)}`, {
      method: 'POST',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  /** A fresh page viewing the tab as `persona`, chosen with the tab's own switcher. */
  async function open(
    persona: string,
    route: string,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      timezoneId: 'Europe/London',
      colorScheme,
      // Only so the test can inject axe-core; the tab's own Content-Security-Policy stays as served.
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/${route}`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(persona);
    return page;
  }

  async function axe(page: Page, name: string): Promise<void> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    // Runs in the page (a string, so this file needs no DOM types). Fluent UI's focus manager (Tabster) adds
    // focusable aria-hidden <i data-tabster-dummy> sentinels that hand focus on at once; they are its
    // documented design, not content. Everything else is scanned.
    const result = await page.evaluate<{ id: string; impact: string; nodes: string[] }[]>(`(async () => {
      const r = await axe.run(
        { include: [['body']], exclude: [['i[data-tabster-dummy]']] },
        { resultTypes: ['violations'] },
      );
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
    })()`);
    const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ page: name, serious }).toEqual({ page: name, serious: [] });
  }

  /** Attributes of every element a selector finds, in page order. */
  async function attrs(page: Page, selector: string, names: readonly string[]): Promise<(string | null)[][]> {
    const out: (string | null)[][] = [];
    for (const el of await page.locator(selector).all())
      out.push(await Promise.all(names.map((n) => el.getAttribute(n))));
    return out;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('as a manager: the queue is in deadline order with the right states', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue');
    await page.locator('[data-testid="queue-row"]').first().waitFor();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="queue-row"]').length === 5`);
    const rows = await attrs(page, '[data-testid="queue-row"]', ['data-id', 'data-state']);
    expect(rows).toEqual([
      [ids['breached'], 'breached'],
      [ids['atRisk'], 'at-risk'],
      [ids['fresh'], 'on-track'],
      [ids['replied'], 'on-track'],
      [ids['waiting'], 'paused'],
    ]);
    const api = await getJson(`${app.url}/api/queue`, await tokenFor(`manager:${MANAGER}`));
    expect(rows.map((r) => r[0])).toEqual((api.body['rows'] as { id: string }[]).map((r) => r.id));
    await expect(page.getByText('overdue').first().textContent()).resolves.toMatch(/overdue/);
    await shot(page, 'queue-manager');
    await axe(page, 'queue');
    await page.close();
  });

  it("as a manager: the dashboard's numbers are the API's", async () => {
    const page = await open(`manager:${MANAGER}`, 'dashboard');
    await page.locator('[data-testid="month-response-share-P1"]').waitFor();
    const api = await getJson(`${app.url}/api/dashboard`, await tokenFor(`manager:${MANAGER}`));
    const current = (api.body['current'] as { byPriority: Record<string, Record<string, unknown>> })
      .byPriority;
    for (const p of ['P1', 'P2', 'P3']) {
      const f = current[p] as {
        response: { share: number | null };
        workaround: { share: number | null };
        responseMedianMinutes: number | null;
        responseP90Minutes: number | null;
        pausedHours: number;
      };
      const value = async (id: string) => page.locator(`[data-testid="${id}"]`).getAttribute('data-value');
      expect(await value(`month-response-share-${p}`)).toBe(
        f.response.share === null ? '' : String(f.response.share),
      );
      expect(await value(`month-workaround-share-${p}`)).toBe(
        f.workaround.share === null ? '' : String(f.workaround.share),
      );
      expect(await value(`month-median-${p}`)).toBe(
        f.responseMedianMinutes === null ? '' : String(f.responseMedianMinutes),
      );
      expect(await value(`month-p90-${p}`)).toBe(
        f.responseP90Minutes === null ? '' : String(f.responseP90Minutes),
      );
      expect(await value(`month-paused-${p}`)).toBe(String(f.pausedHours));
    }
    expect(await page.locator('[data-testid="month-response-share-P1"]').textContent()).toBe('0.0 %');
    expect(await page.locator('[data-testid="month-response-share-P2"]').textContent()).toBe('100.0 %');
    expect(await page.locator('[data-testid="month-median-P2"]').textContent()).toBe('30 min');
    const atRisk = (await attrs(page, '[data-testid="at-risk-row"]', ['data-id'])).map((r) => r[0]);
    expect(atRisk).toEqual((api.body['atRisk'] as { ticketId: string }[]).map((r) => r.ticketId));
    expect(atRisk).toEqual([ids['breached'], ids['atRisk']]);
    const breaches = (await attrs(page, '[data-testid="breach-row"]', ['data-id'])).map((r) => r[0]);
    expect(breaches).toEqual([ids['breached']]);
    await shot(page, 'dashboard');
    await axe(page, 'dashboard');
    await page.close();
  });

  it('as a manager: a ticket explains its deadlines, and the other views render', async () => {
    const page = await open(`manager:${MANAGER}`, `ticket/${ids['breached'] ?? ''}`);
    await page.locator('[data-testid="deadline-response"]').waitFor();
    const text = await page.locator('[data-testid="deadline-response"]').textContent();
    expect(text).toContain('P1 response target (in-hours): 1 h (60 min)');
    expect(text).toContain('continuous clock');
    await shot(page, 'ticket');
    await axe(page, 'ticket');
    await page.goto(`${app.url}/tab/index.html#/availability`);
    await page.locator('[data-testid="availability"]').waitFor();
    expect(await page.getByText('No outage recorded').count()).toBe(1);
    await shot(page, 'availability');
    await axe(page, 'availability');
    await page.goto(`${app.url}/tab/index.html#/oncall`);
    await page.locator('[data-testid="oncall-primary"]').waitFor();
    expect(await page.locator('[data-testid="oncall-primary"]').textContent()).toContain('Eddie Engineer');
    await shot(page, 'oncall');
    await page.goto(`${app.url}/tab/index.html#/whatif`);
    await page.locator('input[type="datetime-local"]').fill('2026-11-28T04:10');
    await page.getByRole('button', { name: 'Show deadlines' }).click();
    await page.locator('[data-testid="whatif-response"]').waitFor();
    await shot(page, 'whatif');
    await axe(page, 'whatif');
    await page.close();
  });

  it("as a customer: only that tenant's tickets, and the staff views are not offered", async () => {
    const page = await open(`customer:${CONTOSO}`, 'queue');
    await page.waitForFunction(`document.querySelectorAll('[data-testid="queue-row"]').length === 3`);
    const rows = (await attrs(page, '[data-testid="queue-row"]', ['data-id'])).map((r) => r[0]);
    expect([...rows].sort()).toEqual([ids['breached'], ids['replied'], ids['waiting']].sort());
    const api = await getJson(`${app.url}/api/queue`, await tokenFor(`customer:${CONTOSO}`));
    expect(rows).toEqual((api.body['rows'] as { id: string }[]).map((r) => r.id));
    expect(await page.locator('main').getByText('Fabrikam').count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Dashboard' }).count()).toBe(0);
    await shot(page, 'queue-customer');
    await axe(page, 'customer queue');
    await page.goto(`${app.url}/tab/index.html#/ticket/${ids['fresh'] ?? ''}`);
    await page.getByText(`No ticket ${ids['fresh'] ?? ''}`).waitFor();
    await page.close();
  });

  it('follows a dark system theme in a plain browser', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue', 'dark');
    await page.locator('[data-testid="queue-row"]').first().waitFor();
    expect(await page.locator('[data-theme]').first().getAttribute('data-theme')).toBe('dark');
    await shot(page, 'queue-dark');
    await axe(page, 'queue dark');
    await page.close();
  });
});
