/// <reference lib="dom" />
// Accessibility of the tab in a real Chromium: axe-core finds no violation, of any impact, on any view of any
// persona (manager, engineer, customer: the customer's own views) in any theme (light, dark, high contrast:
// prefers-color-scheme and forced-colors emulated) at any width (320, 400, 1280 px); and the tab works from
// the keyboard alone: through the header to the views' menu, switching view, opening a ticket from the queue.
// One browser and one page per persona, seeded once: 198 axe runs, 45 s on the 2-core build machine at a
// load average of 2 (95 s at 8).
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  axeViolations,
  becomePersona,
  executablePath,
  showView,
  startTabWorld,
  type PersonaName,
  type TabWorld,
  type Violation,
} from '../support/tab-world';

const THEMES = [
  ['light', { colorScheme: 'light', forcedColors: 'none' }],
  ['dark', { colorScheme: 'dark', forcedColors: 'none' }],
  ['contrast', { colorScheme: 'dark', forcedColors: 'active' }],
] as const;
const WIDTHS = [320, 400, 1280] as const;

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('accessibility of every view', () => {
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

  /** A page on the tab at `width`. CSP is bypassed only so axe-core can be injected. */
  async function tabPage(width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${world.app.url}/tab/index.html#/queue`);
    return page;
  }

  it.each(['manager', 'engineer', 'customer'] as PersonaName[])(
    'as %s: no axe violation on any view, theme or width',
    async (persona) => {
      const page = await tabPage(1280);
      await becomePersona(page, persona);
      const found: Record<string, Violation[]> = {};
      for (const [theme, media] of THEMES) {
        await page.emulateMedia(media);
        await page.waitForFunction(
          (name) => document.querySelector('[data-theme]')?.getAttribute('data-theme') === name,
          theme,
        );
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          for (const view of world.views(persona)) {
            await showView(page, view);
            const violations = await axeViolations(page);
            if (violations.length > 0) found[`${theme} ${width} px ${view.name}`] = violations;
          }
        }
      }
      expect(found).toEqual({});
      await page.context().close();
    },
    300_000,
  );

  /** Presses Tab until the focused element matches `selector` (at most `max` times); false if it never does. */
  async function tabTo(page: Page, selector: string, max = 60): Promise<boolean> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement?.matches(sel) === true, selector)) return true;
    }
    return false;
  }

  it('keyboard only, on a phone: the views menu switches view; a ticket opens from the queue', async () => {
    const page = await tabPage(400);
    await becomePersona(page, 'manager');
    await page.locator('body').focus();
    // Through the header to the views' menu button, open it with Enter, move down with the arrow keys.
    expect(await tabTo(page, '[data-testid="nav-menu"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.activeElement?.closest('nav')?.querySelector('[aria-expanded="true"]'),
    );
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Queue');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Dashboard');
    await page.keyboard.press('Enter');
    await page.locator('main h2#dash-title').waitFor();
    expect(await page.getByTestId('nav-menu').getAttribute('aria-expanded')).toBe('false');
    // Escape closes the menu and gives focus back to its button.
    await page.getByTestId('nav-menu').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-menu');
    expect(await page.getByTestId('nav-menu').getAttribute('aria-expanded')).toBe('false');
    // Back to the queue with the arrow keys (End, then Home), then a ticket opened with Enter.
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Team');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.locator('main h2#queue-title').waitFor();
    await page.waitForFunction(() => document.querySelector('main a[href^="#/ticket/"]') !== null);
    expect(await tabTo(page, 'main a[href^="#/ticket/"]')).toBe(true);
    const id = await page.evaluate(() =>
      document.activeElement?.getAttribute('href')?.slice('#/ticket/'.length),
    );
    await page.keyboard.press('Enter');
    await page.locator('main h2#ticket-title').waitFor();
    expect(await page.locator('main h2#ticket-title').textContent()).toContain(id ?? '?');
    await page.context().close();
  });

  it('keyboard only, wide: the views are links in the tab order', async () => {
    const page = await tabPage(1280);
    await becomePersona(page, 'engineer');
    await page.locator('body').focus();
    expect(await tabTo(page, 'nav a[href="#/reports"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('main h2#report-title').waitFor();
    expect(await page.getByRole('link', { name: 'Reports' }).getAttribute('aria-current')).toBe('page');
    await page.context().close();
  });
});
