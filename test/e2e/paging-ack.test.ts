// The tab's Acknowledge page button in a real Chromium (playwright-core): a P1 filed after hours pages the
// on-call chain; the primary on call opens the ticket page, where the button is, and presses it by keyboard.
// The button goes, the timeline says the page was acknowledged from the tab, the watcher pages nobody else
// past the secondary's (15 min) and the manager's (30 min) steps, and the page card in the thread loses its
// Acknowledge button (fake Bot Connector). At 375 px nothing scrolls sideways. A customer never sees it.
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER } from '../support/tab';
import { describeBrowser, executablePath, launchChromium, openTicket } from '../support/tab-world';
import { BOB, CHANNEL, StaffDesk } from '../support/staff-world';

const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';
const MIN = 60_000;

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

describeBrowser('Acknowledge page from the tab in Chromium', () => {
  let connector: FakeConnector;
  let app: App;
  let browser: Browser;
  // Saturday morning: outside support hours, so a P1 pages the on-call chain (Eddie is the primary).
  const clock: TestClock = { now: et('2026-11-28 07:00') };
  const desk = new StaffDesk({
    clock,
    env: {
      STAFF_ENGINEERS: `${ENGINEER}=Eddie Engineer;${BOB}=Bob Engineer`,
      ONCALL_ROTATION: JSON.stringify({
        start: '2026-11-23',
        handover: '09:00',
        weeks: [{ primary: ENGINEER, secondary: BOB }],
      }),
    },
  });
  const { cards, watch, pages, paged } = desk;

  beforeAll(async () => {
    ({ app, connector } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  /** The page card the chain posted in the ticket's thread (not the 1:1 copy), as it stands now. */
  function pageCard(id: string): unknown {
    const posted = connector
      .sent()
      .filter((r) => r.conversationId?.startsWith(CHANNEL) === true)
      .filter((r) => r.activity?.summary === `${id}: page, primary`);
    expect(posted).toHaveLength(1);
    const card = cardsOf(connector.current(posted[0]?.id ?? ''))[0] ?? {};
    cards.push(card);
    return card;
  }

  /** A fresh page on a ticket as `persona`, chosen with the tab's own switcher. */
  const open = (id: string, persona: string, width: number): Promise<Page> =>
    openTicket(browser, app.url, id, persona, { width });

  /** Whether the page scrolls sideways: the document wider than the window. */
  const scrolls = (page: Page) =>
    page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

  it('the engineer on call acknowledges by keyboard at 375 px: the chain stops, the card says so', async () => {
    const start = et('2026-11-28 07:30');
    const t = await paged(start);
    expect(JSON.stringify(pageCard(t.id))).toContain('page.ack');
    clock.now = start + 4 * MIN;
    const page = await open(t.id, `engineer:${ENGINEER}`, 375);
    const button = page.getByRole('button', { name: 'Acknowledge page', exact: true });
    await button.waitFor();
    expect(await page.locator('[data-testid="action-acknowledge"]').count()).toBe(1);
    expect(await scrolls(page)).toBe(false);
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);

    await button.focus();
    await page.keyboard.press('Enter');
    const ok = page.locator('[data-testid="action-done"]', {
      hasText: 'Page acknowledged: the on-call chain stops.',
    });
    const failed = page.locator('[data-testid="action-error"]');
    await ok.or(failed).first().waitFor();
    expect(await failed.count()).toBe(0);
    await page.locator('ol li', { hasText: 'Acknowledged by Eddie Engineer' }).waitFor();
    expect(await page.locator('[data-testid="action-acknowledge"]').count()).toBe(0);
    const timeline = await page.locator('ol li').allTextContents();
    expect(
      timeline.filter(
        (x) =>
          x.includes('Page acknowledged') &&
          x.includes('Acknowledged by Eddie Engineer') &&
          x.includes('Eddie Engineer · from the tab'),
      ),
    ).toHaveLength(1);
    expect(await scrolls(page)).toBe(false);
    await page.context().close();

    // The watcher past the secondary's and the manager's steps: nobody else is paged, no alarm.
    await app.background.drain();
    await watch(start + 15 * MIN);
    await watch(start + 30 * MIN);
    await watch(start + 90 * MIN);
    expect(pages(t.id)).toEqual(['primary']);
    const alarms = connector
      .sent()
      .filter((r) => JSON.stringify(r.activity ?? {}).includes('Nobody reached'))
      .filter((r) => JSON.stringify(r.activity ?? {}).includes(t.id));
    expect(alarms).toHaveLength(0);

    // The page card in the thread, updated in place: no Acknowledge button, and it says who acknowledged.
    const card = pageCard(t.id);
    expect(JSON.stringify(card)).not.toContain('page.ack');
    expect(cardText(card)).toContain('Acknowledged by Eddie Engineer.');
  });

  it('a customer never sees the button, on their own paged ticket', async () => {
    const start = et('2026-11-28 11:00');
    const t = await paged(start);
    clock.now = start + 2 * MIN;
    const page = await open(t.id, `customer:${CONTOSO}`, 375);
    await page.getByText(t.id).first().waitFor();
    expect(await page.getByRole('button', { name: 'Acknowledge page' }).count()).toBe(0);
    expect(await page.locator('[data-testid="action-acknowledge"]').count()).toBe(0);
    expect(await scrolls(page)).toBe(false);
    await page.context().close();
    // Still waiting for the on-call engineer: the customer's visit acknowledged nothing.
    await watch(start + 15 * MIN);
    expect(pages(t.id)).toEqual(['primary', 'secondary']);
  });
});
