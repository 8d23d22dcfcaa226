/// <reference lib="dom" />
// The tab's Outages and Reports views in a real Chromium (playwright-core, /usr/bin/chromium), the app in
// local mode: a manager records an outage with an exclusion and approves it; a customer reads their SLA
// report with the month's availability. axe-core finds no serious or critical violation.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { CONTOSO, MANAGER, seed, TAB_ENV } from '../support/tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('outages and reports in the tab', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 09:00') };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
    await seed(app, clock, et('2026-11-25 09:00'), {
      priority: 'P1',
      category: 'outage',
      title: 'No calls at all',
    });
    clock.now = et('2026-11-25 12:30');
    await app.background.drain();
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  async function open(persona: string, route: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/${route}`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(persona);
    return page;
  }

  async function axe(page: Page): Promise<void> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const serious = await page.evaluate(async () => {
      const w = window as unknown as {
        axe: { run: (c: unknown, o: object) => Promise<{ violations: { id: string; impact: string }[] }> };
      };
      const r = await w.axe.run(
        { include: [['body']], exclude: [['i[data-tabster-dummy]']] },
        { resultTypes: ['violations'] },
      );
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(serious).toEqual([]);
  }

  it('a manager records an outage with an exclusion, then approves it', async () => {
    const page = await open(`manager:${MANAGER}`, 'outages');
    await page.getByRole('heading', { name: 'Outages' }).waitFor();
    await page.getByLabel('Start (ET)').fill('2026-11-25T12:00');
    await page.getByLabel('End (ET)').fill('2026-11-25T12:04');
    await page.getByLabel('What was affected').fill('Calling <b>US</b>');
    await page.getByLabel('Exclusion (needs a manager’s approval)').selectOption('b');
    await page.getByLabel('Why the exclusion applies').fill('Microsoft incident TM1');
    await page.getByRole('button', { name: 'Record outage' }).click();
    await page.getByTestId('outage-message').getByText('OUT-1: recorded').waitFor();
    await page.getByRole('cell', { name: 'Calling <b>US</b>' }).waitFor();
    await axe(page);
    await page.getByRole('button', { name: 'Approve exclusion' }).click();
    await page.getByTestId('outage-message').getByText('OUT-1: exclusion approved').waitFor();
    const m = await app.deps.outages.month('2026-11');
    expect(m.availability).toMatchObject({ outageMinutes: 0, excludedMinutes: 4 });
    const history = await app.deps.outages.history('OUT-1');
    expect(history.ok && history.value.changes.map((c) => [c.type, c.actor.name])).toEqual([
      ['recorded', 'Maria Manager'],
      ['exclusion-requested', 'Maria Manager'],
      ['exclusion-approved', 'Maria Manager'],
    ]);
    await page.close();
  });

  it('a customer reads their SLA report: the breach and the month’s availability', async () => {
    const page = await open(`customer:${CONTOSO}`, 'reports');
    await page.getByTestId('report-breaches').waitFor();
    expect(await page.getByTestId('report-breaches').textContent()).toBe('1');
    expect(await page.getByTestId('report-availability').textContent()).toBe('100.0000 %');
    await page.getByRole('cell', { name: 'No calls at all' }).waitFor();
    await axe(page);
    await page.close();
  });

  it('a customer opening the availability view sees whether the service is up, and the ongoing outage', async () => {
    const page = await open(`customer:${CONTOSO}`, 'availability');
    await page.locator('[data-testid="service-status"][data-up="true"]').waitFor();
    await page.close();
    const recorded = await app.deps.outages.record(
      { id: 'aad-eddie', name: 'Eddie Engineer', role: 'engineer' },
      {
        start: et('2026-11-25 12:20'),
        end: null,
        affected: 'Voicemail in Europe',
        cause: 'Disk full on vm-3',
      },
    );
    expect(recorded.ok).toBe(true);
    const again = await open(`customer:${CONTOSO}`, 'availability');
    const banner = again.locator('[data-testid="service-status"][data-up="false"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('An outage is ongoingVoicemail in Europe, since');
    expect(await again.content()).not.toContain('Disk full');
    await axe(again);
    await again.close();
  });
});
