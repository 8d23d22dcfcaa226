// The tab's Acknowledge page button in a real Chromium (playwright-core): a P1 filed after hours pages the
// on-call chain; the primary on call opens the ticket page, where the button is, and presses it by keyboard.
// The button goes, the timeline says the page was acknowledged from the tab, the watcher pages nobody else
// past the secondary's (15 min) and the manager's (30 min) steps, and the page card in the thread loses its
// Acknowledge button (fake Bot Connector). At 375 px nothing scrolls sideways. A customer never sees it.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { aFiling } from '../fixtures/filing';
import { channelMessage, post } from '../support/activities';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems, cardsOf, cardText } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, STAFF_TENANT, TAB_ENV } from '../support/tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executablePath = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';
const CHANNEL = '19:supportchannel@thread.tacv2';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000003';
const MIN = 60_000;

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('Acknowledge page from the tab in Chromium', () => {
  let azurite: TestAzurite;
  let connector: FakeConnector;
  let app: App;
  let browser: Browser;
  // Saturday morning: outside support hours, so a P1 pages the on-call chain (Eddie is the primary).
  const clock: TestClock = { now: et('2026-11-28 07:00') };
  const cards: unknown[] = [];
  let chats = 0;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    connector = await startFakeConnector({ tenantId: STAFF_TENANT });
    app = await startTestApp({
      connectionString: azurite.connectionString,
      clock,
      env: {
        ...TAB_ENV,
        STAFF_ENGINEERS: `${ENGINEER}=Eddie Engineer;${BOB}=Bob Engineer`,
        ONCALL_ROTATION: JSON.stringify({
          start: '2026-11-23',
          handover: '09:00',
          weeks: [{ primary: ENGINEER, secondary: BOB }],
        }),
      },
    });
    await post(
      `${app.url}/api/messages`,
      channelMessage({
        serviceUrl: connector.serviceUrl,
        tenantId: STAFF_TENANT,
        userId: '29:eddie',
        aadObjectId: ENGINEER,
        userName: 'Eddie',
        channel: { channelId: CHANNEL, channelName: 'Support' },
        text: 'use this channel for support',
      }),
    );
    await connector.waitFor((r) => r.activity?.text?.includes('now the support channel') === true);
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await connector.stop();
    await azurite.stop();
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  /** Runs the watcher at `at` and waits for what it sends. */
  async function watch(at: number): Promise<void> {
    clock.now = at;
    await app.watcher.pass();
    await app.background.drain();
  }

  /** The roles the chain paged in the ticket's thread, in order. */
  function pages(id: string): string[] {
    const head = `${id}: page, `;
    return connector
      .sent()
      .filter((r) => r.conversationId?.startsWith(CHANNEL) === true)
      .map((r) => r.activity?.summary)
      .filter((s): s is string => typeof s === 'string' && s.startsWith(head))
      .map((s) => s.slice(head.length));
  }

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

  /** Files a P1 from a customer at `at` and runs the watcher: the chain pages the primary on call. */
  async function paged(at: number): Promise<Ticket> {
    clock.now = at;
    const filed = await app.tickets.file(
      aFiling({
        priority: 'P1',
        title: 'Nobody can make calls',
        customerChat: {
          conversationId: `a:ann-chat-${++chats}`,
          serviceUrl: connector.serviceUrl,
          userId: '29:ann',
        },
      }),
    );
    if (!filed.ok) throw filed.error;
    await watch(at);
    expect(pages(filed.value.ticket.id)).toEqual(['primary']);
    return filed.value.ticket;
  }

  /** A fresh page on a ticket as `persona`, chosen with the tab's own switcher. */
  async function open(id: string, persona: string, width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/ticket/${id}`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(persona);
    await page.locator('[data-testid="deadline-response"]').waitFor();
    return page;
  }

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
