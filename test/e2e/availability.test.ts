/// <reference lib="dom" />
// The availability view in a real Chromium (playwright-core, /usr/bin/chromium), the app in local mode, with
// November's outages carrying a requested, an approved and a rejected exclusion: a manager sees all three
// with their states and who decided; a customer only the approved one. No "[object Object]" anywhere, the
// rounding rule stated, and no sideways scrolling at 1280 or 375 px (rows stack on a phone).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Actor } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { CONTOSO, MANAGER, TAB_ENV } from '../support/tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('the availability view', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-05 09:00') };
  const eddie: Actor = { id: 'aad-eddie', name: 'Eddie Engineer', role: 'engineer' };
  const maria: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
    const outage = async (start: string, end: string, affected: string, category: string) => {
      const made = await app.deps.outages.record(eddie, {
        start: et(start),
        end: et(end),
        affected,
        cause: `internal cause of ${affected}`,
        exclusion: { category, justification: `justified ${affected}` },
      });
      if (!made.ok) throw made.error;
      return made.value.outage.id;
    };
    await outage('2026-11-05 08:00', '2026-11-05 08:02', 'Pending outage', 'a');
    const approved = await outage('2026-11-05 08:10', '2026-11-05 08:13', 'Approved outage', 'b');
    const rejected = await outage('2026-11-05 08:20', '2026-11-05 08:21', 'Rejected outage', 'd');
    clock.now = et('2026-11-05 10:00');
    for (const [id, kind] of [
      [approved, 'approve-exclusion'],
      [rejected, 'reject-exclusion'],
    ] as const) {
      const decided = await app.deps.outages.act(id, maria, { kind });
      if (!decided.ok) throw decided.error;
    }
    clock.now = et('2026-11-09 12:00');
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  async function open(persona: string, width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/availability`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(persona);
    await page.getByTestId('rounding-rule').waitFor();
    return page;
  }

  /** Each outage row's text, and its exclusion's state as the page marks it. */
  async function rows(page: Page): Promise<[string, string | null][]> {
    const out: [string, string | null][] = [];
    for (const row of await page.getByTestId('outage-row').all()) {
      const ex = row.getByTestId('exclusion');
      out.push([await row.innerText(), await ex.getAttribute('data-status')]);
    }
    return out;
  }

  /**
   * The page never scrolls sideways: the whole document (header and its phone nav included) is no wider than
   * the window, and nothing of the view reaches past the window's right edge.
   */
  async function noSidewaysScroll(page: Page): Promise<void> {
    const past = await page.evaluate(() => {
      const out: string[] = [];
      const { scrollWidth } = document.documentElement;
      if (scrollWidth > window.innerWidth)
        out.push(`the page scrolls: ${scrollWidth} > ${window.innerWidth}`);
      const view = document.querySelector('section[aria-labelledby="avail-title"]');
      if (view === null) return [...out, 'no view'];
      return [
        ...out,
        ...[view, ...Array.from(view.querySelectorAll('*'))]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((e) => `${e.tagName} ${e.textContent.slice(0, 40)}`),
      ];
    });
    expect(past).toEqual([]);
  }

  it.each([1280, 375])('as a manager at %d px: all three exclusions with their states', async (width) => {
    const page = await open(`manager:${MANAGER}`, width);
    const found = await rows(page);
    expect(found.map(([, status]) => status)).toEqual(['requested', 'approved', 'rejected']);
    const [pending, approved, rejected] = found.map(([text]) => text);
    expect(pending).toContain('(a)');
    expect(pending).toContain('requested, awaiting a manager: counts as down');
    expect(approved).toContain('(b)');
    expect(approved).toContain('approved: excluded');
    expect(approved).toContain('approved by Maria Manager');
    expect(rejected).toContain('(d)');
    expect(rejected).toContain('rejected: counts as down');
    expect(rejected).toContain('rejected by Maria Manager');
    expect(pending).toContain('internal cause of Pending outage');
    // Times in the viewer's zone (London): 08:00 ET is 13:00 there.
    expect(pending).toContain('13:00');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('[object Object]');
    expect(body).toContain('Percentages are cut, never rounded up, to 4 decimals');
    // 3 minutes down (2 + 1), 3 excluded; the budget of 43,200 minutes × 0.0001 = 4.32 min = 4 min 19 s.
    expect(body).toContain('3 min counted as down');
    expect(body).toContain('3 min excluded by the contract');
    expect(body).toContain('4 min 19 s this month');
    // One target format with Reports and chat (4 decimals, cut), one month format with the other pickers.
    expect(body).toContain('target 99.9900 %');
    expect(body).not.toContain('99.99 %');
    expect(body).toContain('Core Service availability · November 2026');
    expect(await page.getByLabel('Month', { exact: true }).locator('option:checked').innerText()).toBe(
      'November 2026',
    );
    // The chart note holds for columns and for the phone's horizontal bars alike.
    expect(body).toContain('Each bar fills from 99.9 % (empty) to 100 % (full)');
    expect(body).not.toContain('(bottom)');
    // Below 640 px the rows stack ("label: value"): the header row is off screen (kept for screen readers).
    const header = page.getByRole('table', { name: 'Outages' }).locator('thead');
    expect(((await header.boundingBox())?.height ?? 0) > 1).toBe(width >= 640);
    await noSidewaysScroll(page);
    await page.close();
  });

  it('a month without outages tells staff where outages are recorded, and customers nothing of it', async () => {
    for (const [persona, staff] of [
      [`manager:${MANAGER}`, true],
      [`customer:${CONTOSO}`, false],
    ] as const) {
      const page = await open(persona, 1280);
      await page.getByLabel('Month', { exact: true }).selectOption('2026-10');
      await page.getByText('No outage recorded').waitFor();
      const body = await page.locator('section[aria-labelledby="avail-title"]').innerText();
      expect(body).toContain('Outages in October 2026');
      expect(body.includes('engineers record outages on the Outages page or in the support channel.')).toBe(
        staff,
      );
      await page.close();
    }
  });

  it.each([1280, 375])('as a customer at %d px: only the approved exclusion', async (width) => {
    const page = await open(`customer:${CONTOSO}`, width);
    const found = await rows(page);
    expect(found.map(([, status]) => status)).toEqual([null, 'approved', null]);
    const [pending, approved, rejected] = found.map(([text]) => text);
    expect(pending).toContain('none: counts as down');
    expect(rejected).toContain('none: counts as down');
    expect(approved).toContain('(b)');
    expect(approved).toContain('approved: excluded');
    const body = await page.locator('section[aria-labelledby="avail-title"]').innerText();
    for (const hidden of ['[object Object]', 'requested', 'rejected', 'Maria', 'internal cause'])
      expect(body).not.toContain(hidden);
    // Below 640 px the rows stack ("label: value"): the header row is off screen (kept for screen readers).
    const header = page.getByRole('table', { name: 'Outages' }).locator('thead');
    expect(((await header.boundingBox())?.height ?? 0) > 1).toBe(width >= 640);
    await noSidewaysScroll(page);
    await page.close();
  });
});
