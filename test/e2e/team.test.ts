// The Team view in a real Chromium (playwright-core, /usr/bin/chromium), the app in local mode: as a manager
// at 1280 and 375 px wide the workload, weekly trend and met % show the API's numbers, the page never scrolls
// sideways on a phone, axe-core finds nothing serious on it, and the CSV download saves the API's file.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Actor } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { act, ENGINEER, FABRIKAM, getJson, MANAGER, seed, TAB_ENV } from '../support/tab';
import {
  describeBrowser,
  executablePath,
  expectNoSeriousAxe as axe,
  launchChromium,
  SHOTS,
} from '../support/tab-world';

const MANAGER_PERSONA = `manager:${MANAGER}`;
const maria: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

describeBrowser('the Team view in Chromium', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-02 09:00') };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    azurite = await startTestAzurite();
    app = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
    const a = await seed(app, clock, et('Mon 2026-11-02 10:00'), { priority: 'P2', title: 'Transfers fail' });
    await act(app, clock, et('Mon 2026-11-02 10:30'), a.id, { kind: 'reply', text: 'Looking' });
    await act(app, clock, et('Mon 2026-11-09 09:00'), a.id, { kind: 'resolve', text: 'Fixed' });
    const b = await seed(app, clock, et('Tue 2026-11-10 09:00'), {
      priority: 'P1',
      category: 'outage',
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      title: 'No calls at all, a title long enough to wrap on a phone rather than push the page sideways',
    });
    await act(app, clock, et('Tue 2026-11-10 10:30'), b.id, { kind: 'reply', text: 'On it' });
    const c = await seed(app, clock, et('Mon 2026-11-16 10:00'), { priority: 'P3', title: 'Add a user' });
    clock.now = et('Mon 2026-11-16 11:00');
    const asked = await app.tickets.act({ kind: 'staff' }, c.id, maria, { kind: 'ask', text: 'Which?' });
    if (!asked.ok) throw asked.error;
    await seed(app, clock, et('Mon 2026-11-30 10:00'), { priority: 'P2', title: 'Voicemail' });
    clock.now = et('Wed 2026-12-02 12:00');
    await app.background.drain();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  async function token(): Promise<string> {
    const res = await fetch(
      `${app.url}/api/auth/local/token?persona=${encodeURIComponent(MANAGER_PERSONA)}`,
      {
        method: 'POST',
      },
    );
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function open(width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      timezoneId: 'Europe/London',
      acceptDownloads: true,
      // Only so the test can inject axe-core; the tab's own Content-Security-Policy stays as served.
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/team`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(MANAGER_PERSONA);
    await page.locator('[data-testid="workload"]').waitFor();
    await page.locator('[data-testid="trend"]').waitFor();
    await page.locator('[data-testid="met-engineer"]').waitFor();
    return page;
  }

  const texts = (page: Page, selector: string): Promise<string[]> => page.locator(selector).allTextContents();

  async function numbersMatchTheApi(page: Page): Promise<void> {
    const bearer = await token();
    const workload = (await getJson(`${app.url}/api/insights/workload`, bearer)).body['rows'] as Record<
      string,
      number
    >[];
    expect(await texts(page, '[data-testid="workload-owner"]')).toEqual([
      'Eddie Engineer',
      'Maria Manager',
      'Unassigned',
    ]);
    for (const key of ['open', 'atRisk', 'breached', 'paused'])
      expect(await texts(page, `[data-testid="workload-${key}"]`)).toEqual(
        workload.map((r) => String(r[key])),
      );
    expect(await texts(page, '[data-testid="workload-open"]')).toEqual(['1', '1', '1']);
    const weeks = (await getJson(`${app.url}/api/insights/trend?weeks=12`, bearer)).body['weeks'] as Record<
      string,
      number
    >[];
    for (const key of ['created', 'resolved', 'backlog'])
      expect(await texts(page, `[data-testid="trend-${key}"]`)).toEqual(weeks.map((w) => String(w[key])));
    expect((await texts(page, '[data-testid="trend-week"]'))[0]).toMatch(/^Mon,? 14 Sept? 2026$/);
    expect((await texts(page, '[data-testid="trend-week"]'))[11]).toMatch(/^Mon,? 30 Nov 2026 \(so far\)$/);
    // The month shown by default is the support zone's (December); November is picked.
    await page.locator('[data-testid="team-month"]').fill('2026-11');
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid="met-engineer"] [data-testid="met-percent"]')].map((e) => e.textContent).join('|') === '50.0 %|50.0 %|50.0 %|100.0 %|—|100.0 %|0.0 %|—|0.0 %'`,
    );
    const sla = (await getJson(`${app.url}/api/insights/sla?month=2026-11`, bearer)).body;
    type Group = { name: string; targets: Record<string, number | string | null>[] };
    for (const [id, groups] of [
      ['met-engineer', sla['byEngineer'] as Group[]],
      ['met-customer', sla['byCustomer'] as Group[]],
    ] as const) {
      const flat: Record<string, number | string | null>[] = groups.flatMap((g) =>
        g.targets.map((t) => ({ ...t, name: g.name })),
      );
      expect(await texts(page, `[data-testid="${id}"] [data-testid="met-name"]`)).toEqual(
        flat.map((t) => t.name),
      );
      for (const key of ['due', 'met', 'breached', 'open'])
        expect(await texts(page, `[data-testid="${id}"] [data-testid="met-${key}"]`)).toEqual(
          flat.map((t) => String(t[key])),
        );
      expect(await texts(page, `[data-testid="${id}"] [data-testid="met-percent"]`)).toEqual(
        flat.map((t) => (t['percent'] === null ? '—' : String(t['percent']))),
      );
    }
  }

  /**
   * What would scroll sideways: the whole page (header and its phone nav included) or the main area wider than
   * the viewport, or an element of the view whose right edge passes it (but those inside the screen-reader-only
   * table headers, which are clipped to 1 px).
   */
  const overflowing = (page: Page): Promise<string[]> =>
    page.evaluate<string[]>(`(() => {
      const main = document.querySelector('main');
      const view = document.querySelector('section[aria-labelledby="team-title"]');
      const out = [];
      const page = document.documentElement.scrollWidth;
      if (page > window.innerWidth) out.push('the page scrolls: ' + page + ' > ' + window.innerWidth);
      if (main.scrollWidth > window.innerWidth) out.push('main scrolls: ' + main.scrollWidth + ' > ' + window.innerWidth);
      for (const el of view.querySelectorAll('*')) {
        if (el.closest('thead') !== null && getComputedStyle(el.closest('thead')).position === 'absolute') continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > window.innerWidth + 0.5) out.push(el.tagName + ' ' + (el.getAttribute('data-testid') || el.className).toString().slice(0, 40) + ' right ' + Math.round(r.right));
      }
      return out.slice(0, 10);
    })()`);

  it('at 1280 px: the numbers are the API’s, the owners link to their queue, and the CSV downloads', async () => {
    const page = await open(1280);
    await numbersMatchTheApi(page);
    const links = await page.locator('[data-testid="workload-owner"]').all();
    expect(await Promise.all(links.map((l) => l.getAttribute('href')))).toEqual([
      `#/queue?owner=${encodeURIComponent(ENGINEER)}`,
      `#/queue?owner=${encodeURIComponent(MANAGER)}`,
      '#/queue?owner=none',
    ]);
    expect(await overflowing(page)).toEqual([]);
    await axe(page, 'team 1280');
    // The trend chart is a picture with a name; the numbers are in the table.
    expect(await page.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(
      /weeks of 14 Sept? to 30 Nov$/,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="export-csv"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('sla-2026-11.csv');
    const saved = readFileSync(await download.path());
    const res = await fetch(`${app.url}/api/export/sla.csv?month=2026-11`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    const api = Buffer.from(await res.arrayBuffer());
    expect(saved.equals(api)).toBe(true);
    expect(saved.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(saved.toString('utf8')).toContain('ticket,customer,title,priority,owner,target,clock');
    await page.locator('[data-testid="export-note"]').waitFor();
    expect(await page.locator('[data-testid="export-note"]').textContent()).toBe('Saved sla-2026-11.csv.');
    await page.screenshot({ path: join(SHOTS, 'team-1280.png'), fullPage: true });
    await page.context().close();
  });

  it('at 375 px: stacked rows, the same numbers, nothing off the side', async () => {
    const page = await open(375);
    await numbersMatchTheApi(page);
    expect(await overflowing(page)).toEqual([]);
    // Stacked: each cell shows its column's label, the header row is there for screen readers only.
    const display = await page.evaluate(
      `getComputedStyle(document.querySelector('[data-testid="workload"] tbody tr')).display`,
    );
    expect(display).toBe('block');
    await axe(page, 'team 375');
    await page.screenshot({ path: join(SHOTS, 'team-375.png'), fullPage: true });
    // Keyboard: the download button works with Enter.
    await page.locator('[data-testid="export-csv"]').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('sla-2026-11.csv');
    await page.context().close();
  });
});
