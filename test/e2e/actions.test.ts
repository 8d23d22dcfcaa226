// Staff act on a ticket from the tab in a real Chromium (playwright-core): an engineer takes a ticket,
// replies, changes its priority (the dialog shows the old and new deadlines first) and resolves it. The page's
// timeline says each was done from the tab; the fake Bot Connector shows the root card updated in the support
// channel and the customer told. At phone width (375 px, dark) the controls fit and work by keyboard.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { ENGINEER } from '../support/tab';
import {
  actionDone as done,
  describeBrowser,
  executablePath,
  expectNoSeriousAxe as axe,
  launchChromium,
  openTicket,
  SHOTS,
} from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

describeBrowser('staff act from the tab in Chromium', () => {
  let connector: FakeConnector;
  let app: App;
  let browser: Browser;
  // Wednesday, inside support hours.
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const desk = new StaffDesk({ clock });
  const { cards } = desk;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, connector } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  /** Files a ticket from a customer with a 1:1 chat; its thread is posted in the support channel. */
  const file = (title: string): Promise<{ ticket: Ticket; chat: string }> =>
    desk.file({ priority: 'P3', title });

  /** A fresh page as the engineer, on a ticket. */
  const open = (
    id: string,
    width: number,
    colorScheme: 'light' | 'dark' = 'light',
    forcedColors: 'active' | 'none' = 'none',
  ): Promise<Page> =>
    openTicket(browser, app.url, id, `engineer:${ENGINEER}`, { width, colorScheme, forcedColors });

  /**
   * What would make the page scroll sideways: the whole document (header and its phone nav included) wider
   * than the window, or any element whose right edge passes the window's. Nothing, on a page that fits.
   */
  const fits = (page: Page) =>
    page.evaluate<string[]>(`[
      ...(document.documentElement.scrollWidth > window.innerWidth
        ? ['the page scrolls: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth]
        : []),
      ...[...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => e.tagName + ' ' + (e.getAttribute('data-testid') ?? '') + ' ' + Math.round(e.getBoundingClientRect().right)),
    ]`);

  it('an engineer takes, replies, changes the priority and resolves; Teams follows', async () => {
    const { ticket, chat } = await file('Calls drop after 30 seconds');
    const root = ticket.thread?.activityId ?? '';
    clock.now = et('2026-11-25 10:30');
    const page = await open(ticket.id, 1280);

    await page.locator('[data-testid="action-take"]').click();
    await done(page, 'You own it now.');
    await page.getByText('owner Eddie Engineer').waitFor();
    expect(await page.locator('[data-testid="action-take"]').count()).toBe(0);

    await page.locator('[data-testid="action-reply"]').click();
    await page.locator('[data-testid="field-text"]').fill('We are looking at the trunk now.');
    await page.locator('[data-testid="action-submit"]').click();
    await done(page, 'Reply saved.');

    await page.locator('[data-testid="action-priority"]').click();
    await page.locator('[data-testid="priority-to"]').selectOption('P1');
    await page.locator('[data-testid="field-reason"]').fill('Every call of the office drops');
    await page.locator('[data-testid="action-submit"]').click();
    const dialog = page.locator('[data-testid="priority-dialog"]');
    await dialog.locator('[data-testid="preview-workaround"]').waitFor();
    // The deadlines shown are the engine's, before and after a raise to P1 at now (computed here on its own).
    const engine = new SlaEngine(DEFAULT_POLICY);
    const facts = {
      dispatched: et('2026-11-25 09:00'),
      priority: 'P3' as const,
      pauses: [],
      met: { response: et('2026-11-25 10:30') },
    };
    const before = engine.evaluate({ ...facts, changes: [] });
    const after = engine.evaluate({ ...facts, changes: [{ at: et('2026-11-25 10:30'), to: 'P1' }] });
    const shown = dialog.locator('[data-testid="preview-workaround"]');
    expect(await shown.getAttribute('data-before')).toBe(String(before.workaround.due));
    expect(await shown.getAttribute('data-after')).toBe(String(after.workaround.due));
    expect(after.workaround.due).not.toBe(before.workaround.due);
    const words = (await shown.textContent()) ?? '';
    expect(words).toContain('Now due');
    expect(words).toContain('After the change');
    await page.screenshot({ path: join(SHOTS, 'actions-priority-dialog.png') });
    await axe(page, 'priority dialog');
    await dialog.locator('[data-testid="priority-confirm"]').click();
    await done(page, 'Priority changed.');
    expect(await dialog.count()).toBe(0);

    await page.locator('[data-testid="action-resolve"]').click();
    await page.locator('[data-testid="field-text"]').fill('The carrier fixed the trunk.');
    await page.locator('[data-testid="action-submit"]').click();
    await done(page, 'Resolved.');
    await page.locator('[data-testid="action-reopen"]').waitFor();
    expect(await page.locator('[data-testid="action-resolve"]').count()).toBe(0);
    expect(await page.locator('[data-testid="action-reply"]').count()).toBe(0);

    // The page's timeline: each action, said to be from the tab.
    const timeline = await page.locator('ol li').allTextContents();
    for (const label of ['Took ownership', 'Reply', 'Priority P3 → P1', 'Resolved'])
      expect(timeline.some((x) => x.includes(label) && x.includes('Eddie Engineer · from the tab'))).toBe(
        true,
      );
    expect(timeline.some((x) => x.includes('Filed') && x.includes('from the tab'))).toBe(false);
    await page.locator('[data-testid="action-note"]').click();
    await page.screenshot({ path: join(SHOTS, 'actions-ticket.png'), fullPage: true });
    await axe(page, 'ticket with actions');

    // Teams: the root card in the channel and the customer's chat.
    await app.background.drain();
    const card = cardsOf(connector.current(root))[0];
    cards.push(card);
    const text = cardText(card);
    expect(text).toContain(`${ticket.id} · P1 · Resolved · Contoso`);
    expect(text).toContain('Owner: Eddie Engineer');
    const told = connector
      .sent()
      .filter((r) => r.conversationId === chat)
      .map((r) => cardText(cardsOf(r.activity)[0]));
    // The resolution is followed by its rating card.
    expect(told.map((x) => x.split(/ · |\n/)[0])).toEqual([
      'Support replied',
      'Priority changed',
      'Resolved',
      `How did we do on ${ticket.id}?`,
    ]);
    expect(told[0]).toContain('We are looking at the trunk now.');
    expect(told[2]).toContain('The carrier fixed the trunk.');
    await page.context().close();
  });

  it('at 375 px in the dark theme the controls fit and work by keyboard', async () => {
    const { ticket, chat } = await file('Voicemail greeting cannot be changed from the portal at all');
    clock.now = et('2026-11-25 11:00');
    const page = await open(ticket.id, 375, 'dark');
    await page.locator('[data-testid="action-reply"]').waitFor();
    expect(await fits(page)).toEqual([]);
    for (const id of ['action-take', 'action-reply', 'action-priority', 'action-resolve', 'action-note']) {
      const box = await page.locator(`[data-testid="${id}"]`).boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);
    }
    // Keyboard only: focus Reply, open it, type (the field takes focus), Tab to Send, Enter.
    await page.locator('[data-testid="action-reply"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="form-reply"]').waitFor();
    expect(await fits(page)).toEqual([]);
    await page.keyboard.type('Could you send a screenshot of the portal?');
    expect(await page.locator('[data-testid="field-text"]').inputValue()).toBe(
      'Could you send a screenshot of the portal?',
    );
    await page.getByText('42 of 8,000 characters').waitFor();
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null'),
    ).toBe('action-submit');
    await page.keyboard.press('Enter');
    await done(page, 'Reply saved.');
    // The priority dialog fits too, and Escape closes it.
    await page.locator('[data-testid="action-priority"]').click();
    await page.locator('[data-testid="field-reason"]').fill('More users');
    await page.locator('[data-testid="action-submit"]').click();
    await page.locator('[data-testid="preview-response"]').waitFor();
    expect(await fits(page)).toEqual([]);
    const box = await page.locator('[data-testid="priority-dialog"]').boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'actions-375-dark-dialog.png') });
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="priority-dialog"]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'actions-375-dark.png'), fullPage: true });
    // The whole page: the ticket and the shell around it (header, phone nav).
    await axe(page, 'ticket actions at 375 px, dark');
    await app.background.drain();
    const told = connector.sent().filter((r) => r.conversationId === chat);
    expect(told.map((r) => cardText(cardsOf(r.activity)[0]))[0]).toContain(
      'Could you send a screenshot of the portal?',
    );
    await page.context().close();
  });

  it('at 320 px in high contrast a note is written and added by keyboard', async () => {
    const { ticket } = await file('Fax to email stopped');
    const page = await open(ticket.id, 320, 'dark', 'active');
    await page.locator('[data-testid="action-note"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="form-note"]').waitFor();
    expect(await page.getByLabel('Internal note (staff only)').count()).toBe(1);
    expect(await fits(page)).toEqual([]);
    await page.keyboard.type('Checked the fax gateway: queue is empty.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await done(page, 'Note added (staff only).');
    await page.locator('ol li', { hasText: 'Checked the fax gateway' }).waitFor();
    expect(await fits(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'actions-320-contrast.png'), fullPage: true });
    await axe(page, 'ticket actions at 320 px, high contrast');
    await page.context().close();
  });
});
