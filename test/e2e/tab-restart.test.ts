/// <reference lib="dom" />
// The tab open across an app restart in local mode, in a real Chromium: the restarted app signs with a new
// local key, so the token the page kept is refused (401). The tab gets a new one by itself, and a view that
// failed while the app was down comes back with Try again, without reloading the page.
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { TAB_ENV } from '../support/tab';
import { becomePersona, describeBrowser, launchChromium, showView } from '../support/tab-world';

describeBrowser('the tab across an app restart', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  let page: Page;
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  let env: Record<string, string> = {};

  const start = async (): Promise<App> =>
    startTestApp({ connectionString: azurite.connectionString, clock, env });

  beforeAll(async () => {
    azurite = await startTestAzurite();
    env = { ...TAB_ENV };
    app = await start();
    // The same port and tables after a restart, as a local app restarted on its machine.
    env = { ...env, PORT: new URL(app.url).port, TABLE_PREFIX: app.config.tablePrefix };
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/queue`);
    await becomePersona(page, 'engineer');
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  const DASHBOARD = { name: 'Dashboard', route: 'dashboard', heading: 'dash-title' };
  const QUEUE = { name: 'Queue', route: 'queue', heading: 'queue-title' };

  it('a token the restarted app no longer accepts is replaced without a word', async () => {
    await app.stop();
    app = await start();
    await showView(page, DASHBOARD);
    expect(await page.getByText('Something went wrong.').count()).toBe(0);
  });

  it('a view that failed while the app was down loads again with Try again', async () => {
    await showView(page, QUEUE);
    await app.stop();
    await page.evaluate(() => {
      window.location.hash = '#/dashboard';
    });
    const retry = page.getByRole('button', { name: 'Try again' });
    await retry.waitFor();
    app = await start();
    await retry.click();
    await page.waitForFunction(
      () =>
        document.querySelector('main h2#dash-title') !== null &&
        document.querySelector('main [role="status"]') === null &&
        document.querySelector('main [role="alert"]') === null,
    );
    expect(await page.getByText('Something went wrong.').count()).toBe(0);
  });
});
