/// <reference lib="dom" />
// The On call page in a real Chromium shows the whole P1 paging chain of the policy: primary, secondary and the
// support manager, each with when it is paged (at once, then the configured delays after the first page).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { ENGINEER, MANAGER, TAB_ENV } from '../support/tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('the on-call page', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 10:00') };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock,
      env: {
        ...TAB_ENV,
        ONCALL_ROTATION: JSON.stringify({
          start: '2026-11-23',
          handover: '09:00',
          weeks: [{ primary: ENGINEER, secondary: MANAGER }],
        }),
      },
    });
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  it('shows primary, secondary and the support manager with the delays of the policy', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/oncall`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(`manager:${MANAGER}`);
    await page.getByTestId('oncall-manager').waitFor();
    // The default policy's chain (SLA-RULES.md): primary at once, secondary after 15 min unacknowledged,
    // the support manager 15 min later (30 min after the first page). The manager defaults to the first
    // of STAFF_MANAGERS.
    const card = (role: string) => page.getByTestId(`oncall-${role}`).innerText();
    const primary = await card('primary');
    expect(primary).toContain('Eddie Engineer');
    expect(primary).toContain('paged at once');
    const secondary = await card('secondary');
    expect(secondary).toContain('Maria Manager');
    expect(secondary).toContain('paged 15 min after the first page, if unacknowledged');
    const manager = await card('manager');
    expect(manager).toContain('Support manager');
    expect(manager).toContain('Maria Manager');
    expect(manager).toContain('paged 30 min after the first page, if unacknowledged');
    expect(await page.getByTestId('oncall-chain').innerText()).toContain(
      'P1 tickets dispatched (or raised) outside support hours page this chain in order',
    );
    await context.close();
  });
});
