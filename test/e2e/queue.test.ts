// The queue in a real Chromium: at phone widths (320 and 375 px) a list of cards with every field readable
// and no sideways scrolling; a closed ticket found by a word only its reply has; filters, sort and search
// kept in the URL and restored after opening a ticket (its link back and the browser's Back); a staff
// answer that arrives after a switch to a customer never shows in the customer's view; and a manager's bulk
// take and assign (at 1280 px, and on phone cards at 375 px), checked in the rows, the stored tickets, their
// timelines and the channel's root cards (fake Bot Connector). Also: the open filters panel fits a phone
// with long customer and staff names; a search that finds nothing open offers the other states; each
// column's order in its own words; short cells on one line at 1280 px; resolved and escalated rows said.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BulkResults } from '../../src/adapters/api/contract';
import type { App } from '../../src/app';
import type { Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { aFiling } from '../fixtures/filing';
import { startTestApp, type TestClock } from '../support/app';
import { startTestAzurite, type TestAzurite } from '../support/azurite';
import { cardProblems } from '../support/cards';
import { act, CONTOSO, ENGINEER, FABRIKAM, MANAGER, seed, TAB_ENV } from '../support/tab';
import {
  describeBrowser,
  executablePath,
  expectNoSeriousAxe as axe,
  launchChromium,
  SHOTS,
} from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (process.env['REQUIRE_BROWSER'] === '1') expect(executablePath).toBeDefined();
});

const LONG_TENANT = '55555555-5555-4555-8555-555555555555';
const LONG_ENGINEER = 'aaaaaaaa-0000-4000-8000-000000000009';
const LONG_TITLE =
  'Calls to the Rotterdam and Antwerp offices drop after thirty seconds when transferred from the main ' +
  'switchboard during business hours';

/**
 * Whether the page scrolls sideways (the whole document, header and its phone nav included, wider than the
 * window), the window's and the document's widths, and the outermost elements that stick out past the
 * window's right edge.
 */
const sideways = (page: Page): Promise<{ scrolls: boolean; widths: string; out: string[] }> =>
  page.evaluate(`(() => {
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      const parent = e.parentElement && e.parentElement.getBoundingClientRect();
      if (r.width === 0 || r.right <= innerWidth + 0.5 || (parent && parent.right > innerWidth + 0.5)) continue;
      out.push(e.tagName.toLowerCase() + ' ' + (e.getAttribute('data-testid') || e.getAttribute('aria-label') || (e.textContent || '').slice(0, 30)) + ' right=' + Math.round(r.right));
    }
    const scrollWidth = document.documentElement.scrollWidth;
    return { scrolls: scrollWidth > innerWidth, widths: scrollWidth + ' in ' + innerWidth, out };
  })()`);
/** The whole page does not scroll sideways and nothing sticks out past the window's right edge. */
async function fits(page: Page, width: number, persona: string): Promise<void> {
  const got = await sideways(page);
  expect({ width, persona, out: got.out, scrolls: got.scrolls && got.widths }).toEqual({
    width,
    persona,
    out: [],
    scrolls: false,
  });
}

describeBrowser('the queue in Chromium', () => {
  let azurite: TestAzurite;
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 07:00') };
  const t: Record<'long' | 'closed' | 'fab' | 'p1' | 'sbc', Ticket> = {} as never;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    azurite = await startTestAzurite();
    // Long names in the Customer and Owner selects (a select is as wide as its longest option).
    const env = {
      ...TAB_ENV,
      CUSTOMER_TENANTS: `${TAB_ENV['CUSTOMER_TENANTS'] ?? ''};${LONG_TENANT}=Northwind Traders International Telecommunications Holdings`,
      STAFF_ENGINEERS: `${TAB_ENV['STAFF_ENGINEERS'] ?? ''};${LONG_ENGINEER}=Bartholomew Featherstonehaugh-Cholmondeley`,
    };
    app = await startTestApp({ connectionString: azurite.connectionString, clock, env });
    t.long = await seed(app, clock, et('2026-11-25 07:00'), { priority: 'P2', title: LONG_TITLE });
    t.closed = await seed(app, clock, et('2026-11-25 07:30'), { priority: 'P3', title: 'Old fax line' });
    await act(app, clock, et('2026-11-25 08:00'), t.closed.id, {
      kind: 'reply',
      text: 'Replaced the Okapi line card',
    });
    await act(app, clock, et('2026-11-25 08:10'), t.closed.id, { kind: 'resolve' });
    await act(app, clock, et('2026-11-25 08:20'), t.closed.id, { kind: 'close' });
    t.fab = await seed(app, clock, et('2026-11-25 08:50'), {
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      priority: 'P2',
      title: 'Voicemail delayed',
    });
    t.p1 = await seed(app, clock, et('2026-11-25 09:00'), {
      priority: 'P1',
      category: 'outage',
      title: 'No calls at all',
    });
    t.sbc = await seed(app, clock, et('2026-11-25 09:10'), { priority: 'P3', title: 'Trunk registration' });
    await act(app, clock, et('2026-11-25 09:20'), t.sbc.id, { kind: 'workaround', text: 'Restart the SBC' });
    await act(app, clock, et('2026-11-25 09:30'), t.sbc.id, { kind: 'resolve' });
    clock.now = et('2026-11-25 09:40');
    const escalated = await app.tickets.act(
      { kind: 'tenant', tenantId: CONTOSO },
      t.long.id,
      { id: 'aad-ann', name: 'Ann Customer', role: 'customer' },
      { kind: 'escalate', reason: 'Every transfer drops' },
    );
    if (!escalated.ok) throw escalated.error;
    clock.now = et('2026-11-25 10:30');
    await app.background.drain();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await app.stop();
    await azurite.stop();
  });

  async function context(width: number): Promise<BrowserContext> {
    // bypassCSP only lets the test's string predicates run (waitForFunction); the tab's CSP stays as served.
    return browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
  }

  /** A page of a fresh context viewing `route` as `persona`, chosen with the tab's own switcher. */
  async function open(persona: string, route: string, width = 1366): Promise<Page> {
    const page = await (await context(width)).newPage();
    await page.goto(`${app.url}/tab/index.html#/${route}`);
    const switcher = page.locator('select[data-testid="persona"]');
    await switcher.waitFor();
    await switcher.selectOption(persona);
    return page;
  }

  const rowIds = (page: Page): Promise<(string | null)[]> =>
    page.locator('[data-testid="queue-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));

  it.each([320, 375])(
    'at %i px the queue is cards with every field readable, no sideways scroll',
    async (width) => {
      for (const persona of [`manager:${MANAGER}`, `customer:${CONTOSO}`]) {
        const page = await open(persona, 'queue', width);
        await page.waitForFunction(
          `document.querySelectorAll('li[data-testid="queue-row"]').length === ${persona.startsWith('manager') ? 3 : 2}`,
        );
        await fits(page, width, persona);
        for (const card of await page.locator('li[data-testid="queue-row"]').all()) {
          const id = (await card.getAttribute('data-id')) ?? '';
          const parts = {
            id: card.getByTestId('card-id'),
            priority: card.getByText(/^P[123]$/),
            title: card.getByTestId('queue-title'),
            state: card.locator('[data-state]'),
            deadline: card.getByTestId('card-deadline'),
            left: card.getByTestId('card-left'),
          };
          for (const [name, part] of Object.entries(parts)) {
            const box = await part.boundingBox();
            expect({ id, name, visible: box !== null && box.width > 0 }).toEqual({ id, name, visible: true });
            const inside = box !== null && box.x >= 0 && box.x + box.width <= width;
            expect({ id, name, inside }).toEqual({ id, name, inside: true });
          }
          expect(await parts.id.textContent()).toBe(id);
        }
        // The long title wraps whole: every word is there and nothing is clipped.
        if (persona.startsWith('customer')) {
          const title = page.locator(`li[data-id="${t.long.id}"] [data-testid="queue-title"]`);
          expect(await title.textContent()).toBe(LONG_TITLE);
          const clipped = await title.evaluate((e) => e.scrollWidth > e.clientWidth);
          expect(clipped).toBe(false);
          expect((await title.boundingBox())?.height).toBeGreaterThan(40);
        }
        // The filters fold into one button that opens them.
        const toggle = page.getByTestId('filters-toggle');
        expect(await toggle.getAttribute('aria-expanded')).toBe('false');
        await toggle.click();
        const panel = page.getByRole('group', { name: 'Filters' });
        await panel.waitFor();
        await fits(page, width, persona);
        expect(await page.evaluate('document.documentElement.scrollWidth <= innerWidth')).toBe(true);
        for (const select of await panel.getByRole('combobox').all()) {
          const box = await select.boundingBox();
          const name = await select.evaluate((e) => e.closest('.fui-Field')?.textContent ?? '');
          expect({ name, inside: box !== null && box.x >= 0 && box.x + box.width <= width }).toEqual({
            name,
            inside: true,
          });
        }
        await axe(page, `queue at ${width} px as ${persona}`);
        await page.screenshot({
          path: join(SHOTS, `queue-${width}-${persona.split(':')[0] ?? ''}.png`),
          fullPage: true,
        });
        await page.context().close();
      }
    },
  );

  it.each([640, 800, 1024])(
    'at %i px the queue is a table and the page does not scroll sideways',
    async (width) => {
      const page = await open(`manager:${MANAGER}`, 'queue', width);
      await page.waitForFunction(`document.querySelectorAll('tr[data-testid="queue-row"]').length === 3`);
      await fits(page, width, 'manager');
      const title = page.locator(`tr[data-id="${t.long.id}"] [data-testid="queue-title"]`);
      expect(await title.textContent()).toBe(LONG_TITLE);
      expect(await title.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(false);
      await page.screenshot({ path: join(SHOTS, `queue-${width}-manager.png`), fullPage: true });
      await page.context().close();
    },
  );

  it('finds a closed ticket by a word only its reply has', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue');
    await page.locator('[data-testid="queue-row"]').first().waitFor();
    await page.getByLabel('Search').fill('okapi');
    await page.getByTestId('empty').waitFor();
    expect(await page.getByTestId('empty').textContent()).toContain('Only open tickets were searched.');
    await page.getByRole('button', { name: 'Search resolved and closed tickets too' }).click();
    await page.locator(`[data-testid="queue-row"][data-id="${t.closed.id}"]`).waitFor();
    expect(await page.getByRole('combobox', { name: 'State' }).inputValue()).toBe('all');
    await page.getByRole('combobox', { name: 'State' }).selectOption('closed');
    await page.waitForFunction(`location.hash.includes('state=closed') && location.hash.includes('q=okapi')`);
    await page.locator(`[data-testid="queue-row"][data-id="${t.closed.id}"]`).waitFor();
    expect(await rowIds(page)).toEqual([t.closed.id]);
    // A customer of the same tenant finds it by the reply too.
    const customer = await open(`customer:${CONTOSO}`, 'queue/?state=all&q=Okapi');
    await customer.locator(`[data-testid="queue-row"][data-id="${t.closed.id}"]`).waitFor();
    expect(await rowIds(customer)).toEqual([t.closed.id]);
    await page.context().close();
    await customer.context().close();
  });

  it('offers the other states when a search finds nothing in the ones shown', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue');
    await page.locator('[data-testid="queue-row"]').first().waitFor();
    await page.getByLabel('Search').fill('SBC');
    await page.getByTestId('empty').waitFor();
    expect(await page.getByTestId('empty').textContent()).toContain('Only open tickets were searched.');
    await page.getByRole('button', { name: 'Search resolved and closed tickets too' }).click();
    const row = page.locator(`[data-testid="queue-row"][data-id="${t.sbc.id}"]`);
    await row.waitFor();
    expect(await row.locator('[data-state]').textContent()).toBe('Resolved');
    expect(await row.getAttribute('data-state')).toBe('resolved');
    // From the resolved ones, a word only a closed ticket has: the offer names the states left.
    await page.getByRole('combobox', { name: 'State' }).selectOption('resolved');
    await page.getByLabel('Search').fill('okapi');
    await page.getByTestId('empty').waitFor();
    expect(await page.getByTestId('empty').textContent()).toContain('Only resolved tickets were searched.');
    await page.getByRole('button', { name: 'Search open and closed tickets too' }).click();
    const closed = page.locator(`[data-testid="queue-row"][data-id="${t.closed.id}"]`);
    await closed.waitFor();
    expect(await closed.locator('[data-state]').textContent()).toBe('Closed');
    // Every state searched: nothing more to offer.
    await page.getByLabel('Search').fill('nowhere-at-all');
    await page.getByTestId('empty').waitFor();
    expect(await page.getByRole('button', { name: /tickets too$/ }).count()).toBe(0);
    await page.context().close();
  });

  it('names each order in the words of its column, the natural one first', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue', 1280);
    await page.waitForFunction(`document.querySelectorAll('tr[data-testid="queue-row"]').length === 3`);
    const order = page.getByRole('combobox', { name: 'Order' });
    const words = () => order.locator('option').allTextContents();
    const sortOf = (name: string) => page.getByRole('columnheader', { name }).getAttribute('aria-sort');
    expect(await words()).toEqual(['Soonest first', 'Latest first']);
    expect(await sortOf('Next deadline')).toBe('ascending');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('priority');
    expect(await words()).toEqual(['Most urgent first', 'Least urgent first']);
    await page.waitForFunction(
      `document.querySelector('tr[data-testid="queue-row"]')?.dataset.id === '${t.p1.id}'`,
    );
    expect(await sortOf('Priority')).toBe('ascending');
    await order.selectOption({ label: 'Least urgent first' });
    await page.waitForFunction(`location.hash.includes('dir=desc')`);
    await page.waitForFunction(
      `[...document.querySelectorAll('tr[data-testid="queue-row"]')].at(-1)?.dataset.id === '${t.p1.id}'`,
    );
    expect(await sortOf('Priority')).toBe('descending');
    // The Updated header sorts newest first, its natural order, and says so.
    const answer = (dir: string) =>
      page.waitForResponse(
        (r) => r.url().includes('/api/queue?') && r.url().includes(`sort=updated&dir=${dir}`),
      );
    const shown = async (dir: string, click: () => Promise<void>): Promise<string[]> => {
      const answered = answer(dir);
      await click();
      const ids = ((await (await answered).json()) as { rows: { id: string }[] }).rows.map((r) => r.id);
      await page.waitForFunction(
        `[...document.querySelectorAll('tr[data-testid="queue-row"]')].map((r) => r.dataset.id).join() === '${ids.join()}'`,
      );
      return ids;
    };
    const header = () => page.getByRole('columnheader', { name: 'Updated' }).getByRole('button').click();
    const newest = await shown('desc', header);
    expect(await page.evaluate('location.hash')).not.toContain('dir=');
    expect(await words()).toEqual(['Newest first', 'Oldest first']);
    expect(await order.inputValue()).toBe('');
    expect(await sortOf('Updated')).toBe('descending');
    expect(await sortOf('Priority')).not.toBe('descending');
    const oldest = await shown('asc', header);
    expect(oldest).toEqual([...newest].reverse());
    expect(await page.evaluate('location.hash')).toContain('dir=asc');
    expect(await sortOf('Updated')).toBe('ascending');
    expect(await order.inputValue()).toBe('asc');
    await page.context().close();
  });

  it('at 1280 px a long title wraps while the short cells keep each line whole; escalations show', async () => {
    const page = await open(`manager:${MANAGER}`, 'queue', 1280);
    await page.waitForFunction(`document.querySelectorAll('tr[data-testid="queue-row"]').length === 3`);
    await fits(page, 1280, 'manager');
    const row = page.locator(`tr[data-id="${t.long.id}"]`);
    // A text broken over two lines has boxes at two heights.
    const broken = await page.evaluate<string[]>(
      `(() => {
      const cells = [...document.querySelectorAll('th')].map((h) => (h.textContent || '').trim());
      const out = [];
      [...arguments[0].children].forEach((cell, i) => {
        const name = cells[i];
        if (!['Priority', 'State', 'Next deadline', 'Time left', 'Updated'].includes(name)) return;
        for (const e of cell.querySelectorAll('*')) {
          if (e.children.length > 0 || (e.textContent || '').trim() === '') continue;
          const tops = new Set([...e.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(name + ': ' + e.textContent);
        }
      });
      return out;
    })()`.replace('arguments[0]', `document.querySelector('tr[data-id="${t.long.id}"]')`),
    );
    await page.screenshot({ path: join(SHOTS, 'queue-1280-manager.png'), fullPage: true });
    expect(broken).toEqual([]);
    const title = row.getByTestId('queue-title');
    expect(await title.textContent()).toBe(LONG_TITLE);
    expect((await title.boundingBox())?.height).toBeGreaterThan(30);
    // The customer's escalation is flagged on its row only.
    expect(await row.getByTestId('escalated').textContent()).toBe('Escalated');
    expect(await page.getByTestId('escalated').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'queue-1280-manager.png'), fullPage: true });
    await page.context().close();
  });

  it('restores filters, sort and search from the URL after opening a ticket (link back and Back)', async () => {
    const query = 'state=all&priority=P2&q=a&sort=customer&dir=desc';
    const page = await open(`manager:${MANAGER}`, `queue/?${query}`);
    const view = async () => {
      await page.waitForFunction(`document.querySelectorAll('[data-testid="queue-row"]').length === 2`);
      return {
        rows: await rowIds(page),
        search: await page.getByLabel('Search').inputValue(),
        state: await page.getByRole('combobox', { name: 'State' }).inputValue(),
        priority: await page.getByRole('combobox', { name: 'Priority' }).inputValue(),
        sort: await page.getByRole('combobox', { name: 'Sort by' }).inputValue(),
        order: await page.getByRole('combobox', { name: 'Order' }).inputValue(),
      };
    };
    const expected = {
      rows: [t.fab.id, t.long.id],
      search: 'a',
      state: 'all',
      priority: 'P2',
      sort: 'customer',
      order: 'desc',
    };
    expect(await view()).toEqual(expected);
    // The ticket page's own link back to the queue ("#/queue") finds the same view.
    await page.getByRole('link', { name: t.long.id }).click();
    await page.waitForFunction(`location.hash === '#/ticket/${t.long.id}'`);
    await page.getByRole('link', { name: /Queue/ }).first().click();
    expect(await view()).toEqual(expected);
    expect(await page.evaluate('location.hash')).toBe(`#/queue/?${query}`);
    // And the browser's Back.
    await page.getByRole('link', { name: t.fab.id }).click();
    await page.waitForFunction(`location.hash === '#/ticket/${t.fab.id}'`);
    await page.goBack();
    expect(await view()).toEqual(expected);
    expect(await page.evaluate('location.hash')).toBe(`#/queue/?${query}`);
    // A column header sorts too, and the URL follows.
    await page.getByRole('columnheader', { name: 'Priority' }).getByRole('button').click();
    await page.waitForFunction(`location.hash.includes('sort=priority')`);
    await page.context().close();
  });

  it("a staff answer arriving after the switch to a customer never shows in the customer's view", async () => {
    const ctx = await context(1366);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    // The manager's (first) /api/me is held until the customer's has been answered.
    await ctx.route('**/api/me', async (route) => {
      calls += 1;
      if (calls === 1) await held;
      await route.continue();
    });
    const page = await ctx.newPage();
    await page.goto(`${app.url}/tab/index.html#/queue`);
    await page.waitForFunction(() => true);
    while (calls < 1) await new Promise((r) => setImmediate(r));
    await page.locator('select[data-testid="persona"]').selectOption(`customer:${CONTOSO}`);
    await page.waitForFunction(`document.querySelectorAll('[data-testid="queue-row"]').length === 2`);
    const late = page.waitForResponse((r) => r.url().endsWith('/api/me'));
    release();
    await late;
    // Two frames for whatever the late answer would render.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await page.locator('main').getByText('Fabrikam').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Contoso tickets' }).count()).toBe(1);
    expect((await rowIds(page)).sort()).toEqual([t.long.id, t.p1.id].sort());
    await ctx.close();
  });
});

describeBrowser('bulk take and assign from the queue in Chromium', () => {
  let app: App;
  let browser: Browser;
  // Wednesday, inside support hours.
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const desk = new StaffDesk({ clock });
  const { cards, stored, rootText } = desk;
  const MARIA = `manager:${MANAGER}`;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  /** Files a ticket from a customer; its thread (the root card) is posted in the support channel. */
  async function file(title: string): Promise<Ticket> {
    const filed = await app.tickets.file(aFiling({ priority: 'P3', title }));
    if (!filed.ok) throw filed.error;
    await app.background.drain();
    const ticket = await stored(filed.value.ticket.id);
    expect(ticket.thread).toBeDefined();
    return ticket;
  }

  /** The manager's queue at `width`, once every ticket of `ids` is shown. */
  async function queue(width: number, ids: readonly string[]): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/queue`);
    await page.locator('select[data-testid="persona"]').selectOption(MARIA);
    for (const id of ids) await row(page, id).waitFor();
    return page;
  }

  const row = (page: Page, id: string) => page.locator(`[data-testid="queue-row"][data-id="${id}"]`);

  /** Presses `button` in the bar of selected tickets; the answer of POST /api/tickets/bulk. */
  async function press(page: Page, button: string): Promise<BulkResults> {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/tickets/bulk') && r.request().method() === 'POST'),
      page.getByTestId('bulk-bar').getByRole('button', { name: button, exact: true }).click(),
    ]);
    expect(answer.status()).toBe(200);
    await page.getByTestId('bulk-result').waitFor();
    return (await answer.json()) as BulkResults;
  }

  it('at 1280 px a manager takes three (one owned by Eddie fails on its row), then assigns one', async () => {
    const a = await file('Bulk: transfers fail');
    const b = await file('Bulk: voicemail delayed');
    const c = await file('Bulk: fax to email stopped');
    await act(app, clock, et('2026-11-25 09:10'), b.id, { kind: 'take' });
    clock.now = et('2026-11-25 09:30');
    await app.background.drain();
    const page = await queue(1280, [a.id, b.id, c.id]);
    expect(await page.locator('table[aria-label="Tickets"]').count()).toBe(1);
    for (const t of [a, b, c]) await page.getByRole('checkbox', { name: `Select ${t.id}` }).check();
    await page.getByText('3 selected:').waitFor();

    const took = await press(page, 'Take');
    expect(took.results.map((r) => [r.id, r.ok])).toEqual([
      [a.id, true],
      [b.id, false],
      [c.id, true],
    ]);
    const refused = took.results[1];
    if (refused?.ok !== false) throw new Error('the owned ticket was taken');
    expect(refused.message).toContain(`Eddie Engineer already took ownership of ${b.id}`);
    // The failure is said on its row, in the server's words; the other two are the manager's.
    expect(await row(page, b.id).getByTestId('row-failure').textContent()).toBe(refused.message);
    expect(await page.getByTestId('row-failure').count()).toBe(1);
    expect(await page.getByTestId('bulk-result').textContent()).toContain(
      'Took 2 of 3. 1 could not be changed: the reason is shown on each.',
    );
    for (const t of [a, c]) await row(page, t.id).getByText('Maria Manager', { exact: true }).waitFor();
    await row(page, b.id).getByText('Eddie Engineer', { exact: true }).waitFor();
    // Only the one that failed stays selected.
    expect(await page.getByRole('checkbox', { name: `Select ${b.id}` }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: `Select ${a.id}` }).isChecked()).toBe(false);
    await fits(page, 1280, MARIA);
    await page.screenshot({ path: join(SHOTS, 'queue-bulk-take-1280.png'), fullPage: true });

    // Assign one to Eddie: clear the selection, pick A, choose Eddie, press Assign.
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('checkbox', { name: `Select ${a.id}` }).check();
    await page.getByText('1 selected:').waitFor();
    await page.getByTestId('bulk-bar').getByRole('combobox', { name: 'Assign to' }).selectOption(ENGINEER);
    const assigned = await press(page, 'Assign');
    expect(assigned.results).toMatchObject([
      { id: a.id, ok: true, row: { owner: { name: 'Eddie Engineer' } } },
    ]);
    await row(page, a.id).getByText('Eddie Engineer', { exact: true }).waitFor();
    expect(await page.getByTestId('bulk-result').textContent()).toBe('Assigned 1 of 1.');

    // Stored: the owners, and each change in the timeline as done by Maria from the tab.
    await app.background.drain();
    const owners = await Promise.all([a, b, c].map(async (t) => (await stored(t.id)).owner?.name));
    expect(owners).toEqual(['Eddie Engineer', 'Eddie Engineer', 'Maria Manager']);
    const changes = async (id: string) => {
      const got = await app.tickets.timeline({ kind: 'staff' }, id);
      if (!got.ok) throw got.error;
      return got.value.events
        .filter((e) => e.type === 'owner-changed')
        .map((e) => [e.actor.name, e.via ?? 'Teams', e.data?.['to']]);
    };
    expect(await changes(a.id)).toEqual([
      ['Maria Manager', 'tab', 'Maria Manager'],
      ['Maria Manager', 'tab', 'Eddie Engineer'],
    ]);
    expect(await changes(b.id)).toEqual([['Eddie Engineer', 'Teams', 'Eddie Engineer']]);
    expect(await changes(c.id)).toEqual([['Maria Manager', 'tab', 'Maria Manager']]);
    // The ticket page's timeline says so too.
    await page.getByRole('link', { name: a.id, exact: true }).click();
    await page.locator('[data-testid="deadline-response"]').waitFor();
    const timeline = await page.locator('ol li').allTextContents();
    const byMaria = timeline.filter((x) => x.includes('Maria Manager · from the tab'));
    expect(byMaria.filter((x) => x.includes('Took ownership'))).toHaveLength(1);
    expect(byMaria.filter((x) => x.includes('Assigned to Eddie Engineer'))).toHaveLength(1);

    // The channel's root cards follow: the owner, and the change among its last events, from the tab.
    const [rootA, rootB, rootC] = [
      rootText(await stored(a.id)),
      rootText(await stored(b.id)),
      rootText(await stored(c.id)),
    ];
    expect(rootA).toContain('Owner: Eddie Engineer');
    // The assign names the assignee and says who did it: not as if the manager took it.
    expect(rootA).toContain('**Assigned to Eddie Engineer** · by Maria Manager (from the tab)');
    expect(rootB).toContain('Owner: Eddie Engineer');
    expect(rootB).not.toContain('(from the tab)');
    expect(rootC).toContain('Owner: Maria Manager');
    expect(rootC).toContain('**Took ownership** · Maria Manager (from the tab)');
    await page.context().close();
  });

  it('at 375 px a manager selects two ticket cards and takes them', async () => {
    const d = await file('Bulk on a phone: add a user');
    const e = await file('Bulk on a phone: port two numbers');
    clock.now = et('2026-11-25 10:00');
    const page = await queue(375, [d.id, e.id]);
    expect(await page.locator('li[data-testid="queue-row"]').count()).toBeGreaterThan(0);
    for (const t of [d, e])
      await row(page, t.id)
        .getByRole('checkbox', { name: `Select ${t.id}` })
        .check();
    await page.getByText('2 selected:').waitFor();
    await fits(page, 375, MARIA);
    const took = await press(page, 'Take');
    expect(took.results.map((r) => [r.id, r.ok])).toEqual([
      [d.id, true],
      [e.id, true],
    ]);
    expect(await page.getByTestId('bulk-result').textContent()).toBe('Took 2 of 2.');
    for (const t of [d, e]) await row(page, t.id).getByText('Maria Manager').waitFor();
    expect(await page.getByTestId('row-failure').count()).toBe(0);
    await fits(page, 375, MARIA);
    await page.screenshot({ path: join(SHOTS, 'queue-bulk-take-375.png'), fullPage: true });
    await app.background.drain();
    for (const t of [d, e]) {
      expect((await stored(t.id)).owner?.name).toBe('Maria Manager');
      expect(rootText(await stored(t.id))).toContain('Owner: Maria Manager');
    }
    await page.context().close();
  });
});
