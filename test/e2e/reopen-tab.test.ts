// A reopened ticket's page in a real Chromium (playwright-core): the rounds ("Round 2, reopened … by …"), the
// response explanation counted from the reopen, and a follow-up's link to the ticket it follows up, for staff
// and for the customer, at 375 px without sideways scrolling.
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import { ENGINEER } from '../support/tab';
import { describeBrowser, executablePath, launchChromium, openTicket, PERSONAS } from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

describeBrowser('a reopened ticket in the tab', () => {
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 10:00') };
  const desk = new StaffDesk({ clock });
  const { cards, file } = desk;
  const eddie = { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' as const };

  beforeAll(async () => {
    ({ app } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  async function act(id: string, at: string, cmd: Parameters<App['tickets']['act']>[3]): Promise<void> {
    clock.now = et(at);
    const r = await app.tickets.act({ kind: 'staff' }, id, eddie, cmd);
    if (!r.ok) throw r.error;
    await app.background.drain();
  }

  const scrolls = (page: Page) =>
    page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

  it('shows the rounds and counts from the reopen, for staff and for the customer', async () => {
    const { ticket } = await file({ priority: 'P2' });
    await act(ticket.id, '2026-11-25 10:30', { kind: 'reply', text: 'Looking' });
    await act(ticket.id, '2026-11-27 15:00', { kind: 'resolve', text: 'Fixed' });
    await act(ticket.id, '2026-11-30 09:00', { kind: 'reopen', reason: 'Back again' });
    const { ticket: follow } = await file({ priority: 'P3', relatedTo: ticket.id });
    for (const persona of [PERSONAS.engineer, PERSONAS.customer]) {
      const page = await openTicket(browser, app.url, ticket.id, persona, { width: 375 });
      const round2 = page.locator('[data-testid="round-2"]');
      await round2.waitFor();
      // Times in the viewer's zone (the browser runs in London: 09:00 ET is 14:00 there).
      expect(await round2.innerText()).toMatch(
        /^Round 2, reopened[\s\S]*Mon 30 Nov, 14:00[\s\S]*by Eddie Engineer · P2 · in hours · current/,
      );
      expect(await page.locator('[data-testid="round-1"]').innerText()).toMatch(/^Round 1, filed /);
      expect(await page.locator('body').innerText()).toContain(
        'counted from the reopen at Mon 30 Nov 2026 09:00 ET',
      );
      expect(await scrolls(page)).toBe(false);
      await page.context().close();
    }
    const page = await openTicket(browser, app.url, follow.id, PERSONAS.engineer, { width: 375 });
    const link = page.getByRole('link', { name: ticket.id, exact: true });
    expect(await link.getAttribute('href')).toBe(`#/ticket/${ticket.id}`);
    await page.context().close();
  });
});
