// The tab's ticket page after the person trial of issue 19, in a real Chromium: the details the root card
// shows (callback as a tel: link, affected users, fix release), the customer's escalation in the header,
// statuses in words, events named by what they did, a met target said once, the time left agreeing with the
// explanation, a met target "stays met" in the priority dialog, and a refused action keeping its text.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { aFiling } from '../fixtures/filing';
import { ann, CONTOSO } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import { ENGINEER } from '../support/tab';
import { describeBrowser, executablePath, launchChromium, openTicket, SHOTS } from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

describeBrowser('the ticket page as a person reads it', () => {
  let app: App;
  let browser: Browser;
  // Wednesday, inside support hours.
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const desk = new StaffDesk({ clock });
  const { cards } = desk;

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

  /** Files a ticket from a customer with a 1:1 chat; its thread is posted in the support channel. */
  const file = (
    title: string,
    over: Parameters<typeof aFiling>[0] = {},
  ): Promise<{ ticket: Ticket; chat: string }> => desk.file({ priority: 'P3', title, ...over });

  /** A fresh page as the engineer, on a ticket. */
  const open = (
    id: string,
    width: number,
    colorScheme: 'light' | 'dark' = 'light',
    forcedColors: 'active' | 'none' = 'none',
  ): Promise<Page> =>
    openTicket(browser, app.url, id, `engineer:${ENGINEER}`, { width, colorScheme, forcedColors });

  const LOCAL: Actor = { id: 'aad-local', name: 'Local Engineer', role: 'engineer' };
  const act = async (id: string, actor: Actor, cmd: Parameters<App['tickets']['act']>[3]) => {
    const scope =
      actor.role === 'customer' ? { kind: 'tenant' as const, tenantId: CONTOSO } : { kind: 'staff' as const };
    const r = await app.tickets.act(scope, id, actor, cmd);
    if (!r.ok) throw r.error;
  };

  it('shows the details, the escalation, statuses in words and named events; a met target once', async () => {
    clock.now = et('2026-11-25 09:00');
    const { ticket } = await file('Calls drop after 30 seconds', {
      callbackNumber: '+1 555 0100',
      affectedUsers: 250,
    });
    clock.now = et('2026-11-25 09:10');
    await act(ticket.id, LOCAL, { kind: 'take' });
    await act(ticket.id, LOCAL, { kind: 'workaround', text: 'Use the old trunk for now.' });
    await act(ticket.id, LOCAL, { kind: 'fix', release: '2.14.4-hotfix1' });
    await act(ticket.id, LOCAL, { kind: 'change-priority', to: 'P2', reason: 'More users affected' });
    await act(ticket.id, ann, { kind: 'escalate', reason: 'Our call centre is down' });
    const page = await open(ticket.id, 1280);

    const details = page.getByRole('definition');
    const terms = await page.getByRole('term').allTextContents();
    const values = await details.allTextContents();
    const shown = Object.fromEntries(terms.map((k, i) => [k, values[i]]));
    expect(shown).toMatchObject({
      Requester: 'Ann Customer',
      Customer: 'Contoso',
      Callback: '+1 555 0100',
      'Affected users': '250',
      Owner: 'Local Engineer',
    });
    expect(shown['Fix release']).toContain('2.14.4-hotfix1');
    expect(await page.getByRole('link', { name: '+1 555 0100' }).getAttribute('href')).toBe('tel:+15550100');

    const escalation = (await page.getByTestId('escalation').textContent()) ?? '';
    expect(escalation).toContain('Escalated by the customer');
    expect(escalation).toContain('Ann Customer');
    expect(escalation).toContain('Our call centre is down');

    const header = (await page.locator('#ticket-title ~ *').first().textContent()) ?? '';
    const caption = (await page.getByText(/· status /).textContent()) ?? '';
    expect(`${header} ${caption}`).not.toContain('workaround delivered');
    expect(caption).toContain('status work-around delivered');

    const timeline = await page.locator('ol li').allTextContents();
    expect(timeline.some((x) => x.includes('Took ownership') && x.includes('Local Engineer'))).toBe(true);
    expect(timeline.some((x) => x.includes('Fix recorded: 2.14.4-hotfix1'))).toBe(true);
    expect(timeline.some((x) => x.includes('Priority P3 → P2') && x.includes('More users affected'))).toBe(
      true,
    );
    expect(timeline.some((x) => x.includes('Owner changed'))).toBe(false);

    // Both targets met by the work-around: "Met" once, then the time, and no countdown repeating it.
    for (const target of ['response', 'workaround']) {
      const card = page.getByTestId(`deadline-${target}`);
      const whole = (await card.textContent()) ?? '';
      const reasons = (await card.getByRole('list').textContent()) ?? '';
      const top = whole.replace(reasons, '');
      expect(top.match(/met/gi)).toHaveLength(1);
      expect(top).toContain('Met');
    }
    await page.context().close();
  });

  it('the time left agrees with the explanation, cut to the minute', async () => {
    clock.now = et('2026-11-25 09:00');
    const { ticket } = await file('Voicemail slow', { priority: 'P3' });
    // 40 s past a minute: rounding would say one minute more than cutting.
    clock.now = et('2026-11-25 09:21') + 40_000;
    const page = await open(ticket.id, 1280);
    for (const target of ['response', 'workaround']) {
      const card = page.getByTestId(`deadline-${target}`);
      const reasons = await card.getByRole('listitem').allTextContents();
      const now = reasons[reasons.length - 1] ?? '';
      const left = /: (.+?) of (?:counted )?time left/.exec(now)?.[1];
      expect(left).toBeDefined();
      const whole = (await card.textContent()) ?? '';
      expect(whole.replace(reasons.join(''), '')).toContain(left);
    }
    await page.context().close();
  });

  it('the priority dialog says a met response stays met', async () => {
    clock.now = et('2026-11-25 09:00');
    const { ticket } = await file('Hold music missing');
    clock.now = et('2026-11-25 09:05');
    await act(ticket.id, LOCAL, { kind: 'reply', text: 'Looking at it.' });
    const page = await open(ticket.id, 1280);
    await page.locator('[data-testid="action-priority"]').click();
    await page.locator('[data-testid="priority-to"]').selectOption('P2');
    await page.locator('[data-testid="field-reason"]').fill('A whole floor');
    await page.locator('[data-testid="action-submit"]').click();
    const dialog = page.locator('[data-testid="priority-dialog"]');
    await dialog.locator('[data-testid="preview-workaround"]').waitFor();
    const response = (await dialog.getByTestId('preview-response').textContent()) ?? '';
    expect(response).toContain('— stays met');
    expect(response).not.toContain('Now due');
    expect((await dialog.getByTestId('preview-workaround').textContent()) ?? '').toContain(
      'After the change',
    );
    await page.context().close();
  });

  it('a refused action keeps its form and text, with the time in the support zone', async () => {
    clock.now = et('2026-11-25 09:00');
    const { ticket } = await file('Transfers fail');
    clock.now = et('2026-11-25 09:30');
    const page = await open(ticket.id, 1280);
    await page.locator('[data-testid="action-reply"]').click();
    const typed = 'A long answer I do not want to type again.';
    await page.locator('[data-testid="field-text"]').fill(typed);
    // Meanwhile someone else resolves it.
    await act(ticket.id, LOCAL, { kind: 'resolve' });
    await page.locator('[data-testid="action-submit"]').click();
    const error = page.getByTestId('action-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(
      `Local Engineer resolved it first (${ticket.id}, today 09:30 ET)`,
    );
    // The ticket is read again (resolved now), and the form is still there with the text.
    await page.locator('[data-testid="action-reopen"]').waitFor();
    expect(await page.locator('[data-testid="field-text"]').inputValue()).toBe(typed);
    await page.context().close();
  });
});
