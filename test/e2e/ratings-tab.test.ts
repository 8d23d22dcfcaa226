// Ratings in the tab, in a real Chromium at 1280 and 375 px: the dashboard's satisfaction section shows the
// figures the API gives (and "No ratings yet" for an empty month); the ticket page shows the rating beside the
// status (score, words, comment, when; for the customer until when it can be changed); the customer's report
// says how we did. Nothing scrolls sideways.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { SatisfactionMonth } from '../../src/domain/stats/satisfaction';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { act, CONTOSO, seed, TAB_ENV } from '../support/tab';
import { describeBrowser, launchChromium, PERSONAS, SHOTS, type PersonaName } from '../support/tab-world';

const SYSTEM = { id: 'sla-desk', name: 'SLA Desk', role: 'system' as const };
const MEGAN: Actor = { id: 'aad-megan', name: 'Megan Bowen', role: 'customer' };

describeBrowser('ratings in the tab', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  // Wednesday 25 November 2026, 09:00 ET.
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  let rated: Ticket;

  /** Files and resolves a ticket, sends its rating card and, with a score, rates it. */
  async function resolved(filed: string, done: string, score?: number, comment?: string): Promise<Ticket> {
    const t = await seed(app, clock, et(filed), {
      tenantId: CONTOSO,
      priority: 'P2',
      title: `Filed ${filed}`,
    });
    await act(app, clock, et(filed) + 60_000, t.id, { kind: 'take' });
    await act(app, clock, et(done), t.id, { kind: 'resolve', text: 'Done.' });
    const resolvedAt = et(done);
    for (const cmd of [
      { kind: 'ask-rating', resolvedAt },
      { kind: 'rating-sent', resolvedAt },
    ] as const) {
      const r = await app.tickets.act({ kind: 'staff' }, t.id, SYSTEM, cmd);
      if (!r.ok) throw r.error;
    }
    if (score === undefined) return t;
    clock.now = resolvedAt + 2 * 3_600_000;
    const r = await app.tickets.act({ kind: 'tenant', tenantId: CONTOSO }, t.id, MEGAN, {
      kind: 'rate',
      resolvedAt,
      score,
      comment,
    });
    if (!r.ok) throw r.error;
    return r.value.ticket;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    azurite = await startTestAzurite();
    app = await startTestApp({ connectionString: azurite.connectionString, clock, env: { ...TAB_ENV } });
    rated = await resolved('2026-11-20 10:00', '2026-11-24 10:00', 4, 'Quick and clear, thank you.');
    await resolved('2026-11-21 10:00', '2026-11-23 10:00');
    clock.now = et('2026-11-25 09:00');
    await app.background.drain();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  /** A fresh page at `width` on `route` as `persona`, once `ready` shows. */
  async function open(persona: PersonaName, route: string, width: number, ready: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'America/New_York',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/${route}`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(PERSONAS[persona]);
    await page.locator(ready).first().waitFor();
    return page;
  }

  /** How far the page scrolls sideways (0: it does not). */
  const sideways = (page: Page): Promise<number> =>
    page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it.each([1280, 375])('the dashboard shows satisfaction as the API gives it, at %i px', async (width) => {
    const d = await app.stats.dashboard(clock.now);
    const months = d.satisfaction ?? [];
    const nov = months.find((m: SatisfactionMonth) => m.month === '2026-11');
    expect(nov?.all).toEqual({ asked: 2, answers: 1, positive: 1, csat: 1, responseRate: 0.5 });
    const page = await open('manager', 'dashboard', width, '[data-testid="satisfaction-month"]');
    const row = async (month: string) =>
      (
        await page.locator(`[data-testid="satisfaction-month"][data-month="${month}"] td`).allTextContents()
      ).map((x) => x.trim());
    expect(await row('2026-11')).toEqual(['November 2026', '100 %', '1', '50 % of 2 asked']);
    expect(await row('2026-10')).toEqual(['October 2026', 'No ratings yet', '0', '—']);
    const engineers = await page.locator('[data-testid="satisfaction-engineer"] td').allTextContents();
    expect(engineers.map((x) => x.trim())).toEqual(['Eddie Engineer', '100 %', '1', '50 % of 2 asked']);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await shot(page, `ratings-dashboard-${width}`);
    await page.context().close();
  });

  it.each([1280, 375])('the ticket page shows the rating beside the status, at %i px', async (width) => {
    const customer = await open('customer', `ticket/${rated.id}`, width, '[data-testid="ticket-rating"]');
    const mine = (await customer.getByTestId('ticket-rating').textContent()) ?? '';
    expect(mine).toContain('Rated 4 of 5 (good) by you');
    expect(mine).toContain('Tue 24 Nov, 12:00');
    expect(mine).toContain('“Quick and clear, thank you.”');
    expect(mine).toContain('You can change it from the rating card in your Teams chat until');
    expect(mine).toContain('until Tue 1 Dec, 10:00.');
    expect(await sideways(customer)).toBeLessThanOrEqual(0);
    await shot(customer, `ratings-ticket-customer-${width}`);
    await customer.context().close();

    const staff = await open('engineer', `ticket/${rated.id}`, width, '[data-testid="ticket-rating"]');
    const theirs = (await staff.getByTestId('ticket-rating').textContent()) ?? '';
    expect(theirs).toContain('Rated 4 of 5 (good) by Megan Bowen');
    expect(theirs).toContain('The customer can change it until');
    expect(await sideways(staff)).toBeLessThanOrEqual(0);
    await staff.context().close();
  });

  it.each([1280, 375])("the customer's report says how we did, at %i px", async (width) => {
    const page = await open('customer', 'reports', width, '[data-testid="report-satisfaction"]');
    expect(await page.getByTestId('report-satisfaction').textContent()).toBe(
      '1 rating: 100 % rated 4 or 5. 1 of 2 rating cards answered (50 %).',
    );
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
