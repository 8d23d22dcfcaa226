/// <reference lib="dom" />
// What the ticket page says, checked in a real Chromium against what is true: a round's targets (open, met,
// missed) laid out cleanly at 375 px; a refused file's size written once; a reply saved, then delivered or
// not (the delivery problem shown without a reload); the year on dates of another year; and a file a manager
// removed told to the customer without the reason.
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Actor } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { ann } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import type { FakeConnector } from '../support/connector';
import { CONTOSO, ENGINEER, MANAGER } from '../support/tab';
import { actionDone, describeBrowser, launchChromium, openTicket, PERSONAS } from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

describeBrowser('the ticket page tells the truth', () => {
  let app: App;
  let connector: FakeConnector;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 10:00') };
  const desk = new StaffDesk({ clock, env: { ATTACHMENT_MAX_MB: '1' } });
  const eddie: Actor = { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' };
  const mia: Actor = { id: MANAGER, name: 'Maria Manager', role: 'manager' };

  beforeAll(async () => {
    ({ app, connector } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of desk.cards) expect(cardProblems(c)).toEqual([]);
  });

  async function act(id: string, at: string, cmd: Parameters<App['tickets']['act']>[3]): Promise<void> {
    clock.now = et(at);
    const r = await app.tickets.act({ kind: 'staff' }, id, eddie, cmd);
    if (!r.ok) throw r.error;
    await app.background.drain();
  }

  const open = (id: string, who: keyof typeof PERSONAS, width = 1280): Promise<Page> =>
    openTicket(browser, app.url, id, PERSONAS[who], { width });

  it('a round says open, met or missed, each line kept together at 375 px', async () => {
    clock.now = et('2026-11-25 10:00');
    const { ticket } = await desk.file({ priority: 'P2' });
    await act(ticket.id, '2026-11-25 10:30', { kind: 'reply', text: 'Looking' });
    await act(ticket.id, '2026-11-27 15:00', { kind: 'resolve', text: 'Fixed' });
    await act(ticket.id, '2026-11-30 09:00', { kind: 'reopen', reason: 'Back again' });
    clock.now = et('2026-11-30 09:05');
    let page = await open(ticket.id, 'engineer', 375);
    const round1 = page.getByTestId('round-1');
    const round2 = page.getByTestId('round-2');
    await round2.waitFor();
    const r2 = await round2.innerText();
    expect(r2).toMatch(/Response\s+open, due\s+Mon 30 Nov, /);
    expect(r2).not.toMatch(/not met|missed/);
    const r1 = await round1.innerText();
    expect(r1).toMatch(/Response\s+met on time\s+Wed 25 Nov, 15:30/);
    expect(r1).toMatch(/Resolved\s+Fri 27 Nov, 20:00/);
    // A clean grid: every label starts at the same x, and no time piece is split over two lines.
    const layout = await page.evaluate(() => {
      const labels = Array.from(
        document.querySelectorAll<HTMLElement>('[data-testid="round-1"] ul > li > span:first-child'),
      );
      const pieces = Array.from(
        document.querySelectorAll<HTMLElement>('[data-testid="rounds"] ul > li > span:last-child > *'),
      );
      return {
        lefts: [...new Set(labels.map((l) => Math.round(l.getBoundingClientRect().left)))],
        labels: labels.map((l) => l.textContent),
        split: pieces.filter((p) => p.getClientRects().length > 1 && p.textContent.includes(' ')).length,
        scrolls: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    expect(layout.labels).toEqual(['Response', 'Work-around', 'Resolved']);
    expect(layout.lefts).toHaveLength(1);
    expect(layout.split).toBe(0);
    expect(layout.scrolls).toBe(false);
    await page.context().close();

    // Days later, no reply in round 2: its response deadline passed unmet.
    clock.now = et('2026-12-03 09:00');
    page = await open(ticket.id, 'engineer', 375);
    await page.getByTestId('round-2').waitFor();
    expect(await page.getByTestId('round-2').innerText()).toMatch(
      /Response\s+missed, was due\s+Mon 30 Nov, /,
    );
    await page.context().close();
  });

  it('a file too large is sized the same in its line and its refusal; the chooser offers accepted types', async () => {
    clock.now = et('2026-11-25 10:00');
    const { ticket } = await desk.file({ priority: 'P3' });
    const page = await open(ticket.id, 'engineer');
    await page.getByTestId('action-reply').click();
    const accept = (await page.getByTestId('file-input').getAttribute('accept')) ?? '';
    expect(accept.split(',')).toEqual(expect.arrayContaining(['.png', '.pdf', '.log', '.docx', '.zip']));
    expect(accept).not.toContain('.exe');
    // 1.04 MB: rounded it reads "1 MB", the limit itself; the refusal rounds up to 1.1 MB, and so does the line.
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1_090_000) }]);
    expect(await page.getByTestId('reply-file').innerText()).toContain('big.pdf · 1.1 MB · cannot be sent');
    expect(await page.getByTestId('reply-file-error').innerText()).toBe(
      'big.pdf is 1.1 MB; the limit is 1 MB.',
    );
    await page.context().close();
  });

  it('a reply is saved, then said delivered, or why not, without a reload', async () => {
    clock.now = et('2026-11-25 10:00');
    const { ticket, chat } = await desk.file({ priority: 'P3' });
    const page = await open(ticket.id, 'engineer');
    const reply = async (text: string): Promise<void> => {
      await page.getByTestId('action-reply').click();
      await page.getByTestId('field-text').fill(text);
      await page.getByTestId('action-submit').click();
      await actionDone(page, 'Reply saved.');
    };
    await reply('Looking into it.');
    expect(await page.getByTestId('action-done').innerText()).toBe('Reply saved.');
    await page.getByTestId('delivery').filter({ hasText: "Delivered to the customer's chat." }).waitFor();

    const lift = connector.refuse({
      conversationId: chat,
      status: 403,
      code: 'BotDisabledByAdmin',
      message: 'The bot is blocked by the user.',
    });
    try {
      await reply('A second look.');
      const problem = page.getByTestId('delivery').filter({
        hasText: "Not delivered to the customer's chat: SLA Desk is blocked or turned off for them.",
      });
      await problem.waitFor();
      expect(await problem.innerText()).toMatch(/(Call|Phone) .*customer/);
      // The ticket was read again: its timeline has the failure too.
      await page.getByText('Not delivered to the customer', { exact: true }).first().waitFor();
    } finally {
      lift();
    }
    await page.context().close();
  });

  it('dates of another year carry the year', async () => {
    clock.now = et('2026-12-30 10:00');
    const { ticket } = await desk.file({ priority: 'P3' });
    await act(ticket.id, '2027-01-05 10:38', { kind: 'reply', text: 'Back after the holidays.' });
    clock.now = et('2027-01-05 11:00');
    const page = await open(ticket.id, 'engineer');
    const details = await page.getByRole('definition').allInnerTexts();
    // The browser runs in London: 10:00 ET is 15:00 there.
    expect(details.join('\n')).toContain('Wed 30 Dec 2026, 15:00');
    expect(details.join('\n')).toContain('Tue 5 Jan, 15:38');
    expect(details.join('\n')).not.toContain('5 Jan 2027');
    await page.context().close();
  });

  it("a file a manager removed is told to the customer without the manager's reason", async () => {
    clock.now = et('2026-11-25 10:00');
    const { ticket } = await desk.file({ priority: 'P3' });
    const bytes = Buffer.from('not really a png');
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: ticket.id,
        actor: ann,
        name: 'screenshot-error.png',
        source: 'chat',
        declaredSize: bytes.length,
        body: Readable.from([bytes]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    clock.now = et('2026-11-25 10:20');
    const removed = await app.attachments.remove(
      mia,
      ticket.id,
      added.value.id,
      'Shows a password',
      clock.now,
    );
    if (!removed.ok) throw removed.error;
    const page = await open(ticket.id, 'customer', 375);
    const timeline = await page.locator('ol li').allInnerTexts();
    expect(timeline.some((x) => x.includes('screenshot-error.png was removed by support'))).toBe(true);
    expect(
      timeline.some(
        (x) => x.includes('File added') && x.includes('screenshot-error.png') && x.includes('removed since'),
      ),
    ).toBe(true);
    const body = await page.locator('main').innerText();
    expect(body).not.toContain('Shows a password');
    expect(body).not.toContain('Maria Manager');
    await page.context().close();
  });
});
