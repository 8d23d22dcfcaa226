/// <reference lib="dom" />
// A ticket's files in the tab, in a real Chromium on the real Azurite Blob service: the list and a download
// (the bytes saved are the bytes stored), a file gone meanwhile, an engineer's reply with two files (the
// customer sees them), files the browser refuses (nothing uploaded, no reply), a manager's delete with a
// reason (engineers and customers get no Delete), a phone's width, and a Teams deep link's sub-page.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { Attachment } from '../../src/domain/attachments/model';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import { ann, CONTOSO } from '../fixtures/filing';
import type { TestClock } from '../support/app';
import { cardProblems } from '../support/cards';
import { startWithTabSso } from '../support/authed';
import { ENGINEER, MANAGER, seed, ssoClaims } from '../support/tab';
import {
  actionDone,
  describeBrowser,
  expectNoSeriousAxe,
  launchChromium,
  openTicket,
} from '../support/tab-world';
import { APP_ORIGIN, hostCalls, routeTeamsHost } from '../support/teams-host';
import { StaffDesk } from '../support/staff-world';

const PERSONA = {
  engineer: `engineer:${ENGINEER}`,
  manager: `manager:${MANAGER}`,
  customer: `customer:${CONTOSO}`,
} as const;
const MANAGER_ACTOR: Actor = { id: MANAGER, name: 'Mia Manager', role: 'manager' };

describeBrowser("a ticket's files in the tab", () => {
  let app: App;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const desk = new StaffDesk({ clock, env: { ATTACHMENT_MAX_MB: '1', ATTACHMENT_MAX_PER_TICKET: '3' } });

  beforeAll(async () => {
    ({ app } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
    for (const c of desk.cards) expect(cardProblems(c)).toEqual([]);
  });

  const file = async (title: string): Promise<Ticket> => (await desk.file({ priority: 'P3', title })).ticket;

  /** A file the customer sent in the chat, stored as the bot stores it. */
  const sent = async (t: Ticket, name: string, bytes: Buffer): Promise<Attachment> => {
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: t.id,
        actor: ann,
        name,
        source: 'chat',
        declaredSize: bytes.length,
        body: Readable.from([bytes]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    return added.value;
  };

  const open = (id: string, who: keyof typeof PERSONA, width = 1280): Promise<Page> =>
    openTicket(browser, app.url, id, PERSONA[who], { width });

  const listed = async (t: Ticket): Promise<Attachment[]> => {
    const r = await app.attachments.list({ kind: 'staff' }, t.id);
    if (!r.ok) throw r.error;
    return r.value;
  };

  const noSidewaysScroll = (page: Page): Promise<boolean> =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  it('lists the files and saves the very bytes; no Delete for the customer; a file gone says so', async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Calls drop after a minute');
    const bytes = randomBytes(3 * 1024 + 17);
    const shot = await sent(t, 'screenshot.png', bytes);
    await sent(t, 'trace.log', Buffer.from('line one\nline two\n'));
    clock.now = et('2026-11-25 09:10');
    const page = await open(t.id, 'customer');

    const row = page.getByTestId(`file-${shot.id}`);
    const words = (await row.textContent()) ?? '';
    expect(words).toContain('screenshot.png');
    expect(words).toContain('Image · 3 KB · sent in the chat by Ann Customer');
    expect(words).toContain('09:00');
    expect(await page.getByRole('heading', { name: 'Files (2)' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    // The timeline says what came in and from where.
    const timeline = await page.locator('ol li').allTextContents();
    expect(
      timeline.some((x) => x.includes('File added') && x.includes('screenshot.png (3 KB), sent in the chat')),
    ).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download screenshot.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('screenshot.png');
    expect(readFileSync(await download.path()).equals(bytes)).toBe(true);

    // Deleted behind the page's back: the download says the file is no longer there.
    const removed = await app.attachments.remove(MANAGER_ACTOR, t.id, shot.id, 'Holds a password', clock.now);
    if (!removed.ok) throw removed.error;
    await page.getByRole('button', { name: 'Download screenshot.png' }).click();
    expect(await row.getByTestId('file-error').textContent()).toContain('This file is no longer available.');
    await page.context().close();
  });

  it('an engineer sends a reply with two files; the customer sees both', async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Voicemail greeting garbled');
    clock.now = et('2026-11-25 09:20');
    const page = await open(t.id, 'engineer');
    expect(await page.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    await page.getByTestId('action-reply').click();
    await page.getByTestId('field-text').fill('Here is the fixed greeting and the steps.');
    const wav = randomBytes(40 * 1024);
    await page.getByTestId('file-input').setInputFiles([
      { name: 'steps.pdf', mimeType: 'application/pdf', buffer: wav },
      { name: 'greeting.txt', mimeType: 'text/plain', buffer: Buffer.from('Welcome to Contoso.') },
    ]);
    expect(await page.getByTestId('reply-file').count()).toBe(2);
    await page.getByTestId('action-submit').click();
    await actionDone(page, 'Reply saved. 2 files attached.');

    const files = await listed(t);
    expect(files.map((f) => f.name).sort()).toEqual(['greeting.txt', 'steps.pdf']);
    const got = await app.tickets.timeline({ kind: 'staff' }, t.id);
    if (!got.ok) throw got.error;
    const reply = got.value.events.find((e) => e.type === 'engineer-reply');
    expect(String(reply?.data?.['attachments']).split(',').sort()).toEqual(files.map((f) => f.id).sort());
    await page.context().close();

    const customer = await open(t.id, 'customer');
    const list = (await customer.getByTestId('files').textContent()) ?? '';
    expect(list).toContain('steps.pdf');
    expect(list).toContain('greeting.txt');
    expect(list).toContain('added in the tab');
    const timeline = await customer.locator('ol li').allTextContents();
    const shown = timeline.find((x) => x.includes('Here is the fixed greeting'));
    expect(shown).toContain('steps.pdf');
    expect(shown).toContain('greeting.txt');
    await customer.context().close();
  });

  it('a file of a refused type or too large says why; nothing is uploaded and no reply is sent', async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Hold music missing');
    clock.now = et('2026-11-25 09:20');
    const page = await open(t.id, 'engineer');
    const before = (await desk.stored(t.id)).version;
    await page.getByTestId('action-reply').click();
    await page.getByTestId('field-text').fill('See the attached.');
    await page.getByTestId('file-input').setInputFiles([
      { name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
      { name: 'capture.zip', mimeType: 'application/zip', buffer: randomBytes(1024 * 1024 + 1) },
    ]);
    const errors = await page.getByTestId('reply-file-error').allTextContents();
    expect(errors).toEqual([
      'tool.exe is not a file type SLA Desk accepts (images, PDF, text and log files, zip, Office files).',
      'capture.zip is 1.1 MB; the limit is 1 MB.',
    ]);
    await page.getByTestId('action-submit').click();
    expect(await page.getByTestId('reply-files-problem').textContent()).toBe(
      'Remove tool.exe, capture.zip first: they cannot be sent.',
    );
    expect(await listed(t)).toEqual([]);
    expect((await desk.stored(t.id)).version).toBe(before);
    // Removed, the reply goes without them.
    await page.getByRole('button', { name: 'Remove tool.exe' }).click();
    await page.getByRole('button', { name: 'Remove capture.zip' }).click();
    await page.getByTestId('action-submit').click();
    await actionDone(page, 'Reply saved.');
    expect(await listed(t)).toEqual([]);
    await page.context().close();
  });

  it("an upload the server refuses holds the reply back with the server's reason", async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Conference bridge drops');
    await sent(t, 'first.png', Buffer.from('png'));
    clock.now = et('2026-11-25 09:20');
    const page = await open(t.id, 'engineer');
    await page.getByTestId('action-reply').click();
    await page.getByTestId('field-text').fill('Two logs from our side.');
    await page.getByTestId('file-input').setInputFiles([
      { name: 'ours.log', mimeType: 'text/plain', buffer: Buffer.from('a') },
      { name: 'theirs.log', mimeType: 'text/plain', buffer: Buffer.from('b') },
    ]);
    // Meanwhile the customer sends one more: the ticket has room for one file now, not two.
    await sent(t, 'second.png', Buffer.from('png'));
    await page.getByTestId('action-submit').click();
    await page.getByTestId('reply-files-problem').waitFor();
    expect(await page.getByTestId('reply-file-error').allTextContents()).toEqual([
      `${t.id} already has 3 files, the limit.`,
    ]);
    expect(await page.getByTestId('reply-files-problem').textContent()).toContain(
      'the reply has not been sent',
    );
    const got = await app.tickets.timeline({ kind: 'staff' }, t.id);
    if (!got.ok) throw got.error;
    expect(got.value.events.some((e) => e.type === 'engineer-reply')).toBe(false);
    // Without the refused one, the reply goes with the file already uploaded (not uploaded twice).
    await page.getByRole('button', { name: 'Remove theirs.log' }).click();
    await page.getByTestId('action-submit').click();
    await actionDone(page, 'Reply saved. 1 file attached.');
    expect((await listed(t)).map((f) => f.name)).toEqual(['first.png', 'second.png', 'ours.log']);
    await page.context().close();
  });

  it('a manager deletes a file with a reason; the timeline records it', async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Transfers fail');
    const f = await sent(t, 'passwords.txt', Buffer.from('hunter2'));
    clock.now = et('2026-11-25 09:30');
    const page = await open(t.id, 'manager');
    await page.getByRole('button', { name: 'Delete passwords.txt' }).click();
    const dialog = page.getByTestId('delete-dialog');
    expect(await dialog.getByTestId('delete-confirm').isDisabled()).toBe(true);
    // At 1280 px the confirm button reads on one line; the hint says what staff and the customer see.
    expect(
      await dialog
        .getByTestId('delete-confirm')
        .evaluate(
          (b) =>
            b.getClientRects().length === 1 &&
            b.scrollHeight <= 2 * parseFloat(getComputedStyle(b).lineHeight),
        ),
    ).toBe(true);
    expect(await dialog.textContent()).toContain(
      'Staff see its name, who deleted it and why in the timeline; the customer reads that it was removed by support.',
    );
    await dialog.getByTestId('delete-reason').fill('Holds a password');
    await expectNoSeriousAxe(page, 'delete dialog');
    await dialog.getByTestId('delete-confirm').click();
    await page.getByTestId('file-deleted').waitFor();
    await page.getByRole('heading', { name: 'Files (0)' }).waitFor();
    expect(await page.getByTestId(`file-${f.id}`).count()).toBe(0);
    const timeline = await page.locator('ol li').allTextContents();
    expect(
      timeline.some(
        (x) => x.includes('File deleted') && x.includes('passwords.txt') && x.includes('Holds a password'),
      ),
    ).toBe(true);
    expect(await listed(t)).toEqual([]);
    await page.context().close();
  });

  it('at 375 px: no sideways scroll, a long name cut with its whole name in a title', async () => {
    clock.now = et('2026-11-25 09:00');
    const t = await file('Numbers for the new office');
    const long = `${'a-very-long-file-name-from-the-customers-logging-tool-'.repeat(2)}export.log`;
    const f = await sent(t, long, Buffer.from('x'));
    clock.now = et('2026-11-25 09:10');
    const page = await open(t.id, 'manager', 375);
    const name = page.getByTestId(`file-${f.id}`).getByTitle(long);
    expect(await name.count()).toBe(1);
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.getByTestId('action-reply').click();
    await page
      .getByTestId('file-input')
      .setInputFiles([
        { name: long.replace('.log', '.txt'), mimeType: 'text/plain', buffer: Buffer.from('y') },
      ]);
    await page.getByTestId('reply-file').waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    await expectNoSeriousAxe(page, 'files and reply files at 375 px');
    // Keyboard: the file's buttons are reached with Tab and named by the file.
    await page.getByRole('button', { name: `Download ${long}` }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Delete ${long}`,
    );
    await page.context().close();
  });
});

describeBrowser('a Teams deep link to a file', () => {
  let sso: Awaited<ReturnType<typeof startWithTabSso>>;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const USER = 'cccccccc-0000-4000-8000-000000000001';
  const UPN = 'ada@contoso.example';

  beforeAll(async () => {
    sso = await startWithTabSso({ clock });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await sso.stop();
  });

  it("the sub-page opens the customer's ticket with the file highlighted and focused", async () => {
    const { app, entra } = sso;
    const t = await seed(app, clock, et('2026-11-25 09:00'), { title: 'Fax line silent' });
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: t.id,
        actor: ann,
        name: 'fax.pdf',
        source: 'chat',
        body: Readable.from([Buffer.from('%PDF-1.4')]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    clock.now = et('2026-11-25 09:10');
    await app.background.drain();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const host = await routeTeamsHost(ctx, app.url, {
      // The static tab's own route; the link's sub-page wins.
      tabUrl: `${APP_ORIGIN}/tab/index.html#/queue`,
      refusal: 'resourceRequiresConsent',
      consented: true,
      token: entra.mintToken(ssoClaims(CONTOSO, USER, { upn: UPN })),
      tenantId: CONTOSO,
      userPrincipalName: UPN,
      subPageId: `ticket/${t.id}/file/${added.value.id}`,
    });
    const page = await ctx.newPage();
    await page.goto(host);
    const tab = page.frameLocator('iframe');
    const row = tab.getByTestId(`file-${added.value.id}`);
    await row.waitFor();
    expect(await tab.locator('#ticket-title').textContent()).toContain(t.id);
    expect(await row.getAttribute('aria-current')).toBe('true');
    const button = tab.getByRole('button', { name: 'Download fax.pdf' });
    await button.and(tab.locator(':focus')).waitFor();
    // Inside Teams the tab hands Teams a short-lived link (app.openLink), which saves the file without a token.
    await button.click();
    await page.waitForFunction("window.__calls.some((c) => c.func === 'executeDeepLink')");
    const opened = (await hostCalls(page)).filter((c) => c.func === 'executeDeepLink');
    expect(opened).toHaveLength(1);
    const [url] = opened[0]?.args ?? [];
    expect(String(url)).toMatch(new RegExp(`^${APP_ORIGIN}/api/files/[A-Za-z0-9_.-]+$`));
    const saved = await fetch(String(url).replace(APP_ORIGIN, app.url));
    expect(saved.headers.get('content-disposition')).toContain('filename="fax.pdf"');
    expect(await saved.text()).toBe('%PDF-1.4');
    await ctx.close();
  });

  it('a link to a removed file shows the notice in view and focused; back to "My tickets"', async () => {
    const { app, entra } = sso;
    const t = await seed(app, clock, et('2026-11-25 09:00'), { title: 'Scanner offline' });
    const added = await app.attachments.add(
      {
        tenantId: CONTOSO,
        ticketId: t.id,
        actor: ann,
        name: 'scan.pdf',
        source: 'chat',
        body: Readable.from([Buffer.from('%PDF-1.4')]),
      },
      clock.now,
    );
    if (!added.ok) throw added.error;
    clock.now = et('2026-11-25 09:10');
    const removed = await app.attachments.remove(
      MANAGER_ACTOR,
      t.id,
      added.value.id,
      'Wrong scan',
      clock.now,
    );
    if (!removed.ok) throw removed.error;
    await app.background.drain();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 600 } });
    const host = await routeTeamsHost(ctx, app.url, {
      tabUrl: `${APP_ORIGIN}/tab/index.html#/queue`,
      refusal: 'resourceRequiresConsent',
      consented: true,
      token: entra.mintToken(ssoClaims(CONTOSO, USER, { upn: UPN })),
      tenantId: CONTOSO,
      userPrincipalName: UPN,
      subPageId: `ticket/${t.id}/file/${added.value.id}`,
    });
    const page = await ctx.newPage();
    await page.goto(host);
    const tab = page.frameLocator('iframe');
    const gone = tab.getByTestId('file-gone');
    await gone.and(tab.locator(':focus')).waitFor();
    expect(await gone.textContent()).toBe('The file this link points to is no longer available.');
    expect(await gone.getAttribute('role')).toBe('status');
    const box = await gone.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.height);
    // The customer's menu calls the queue "My tickets"; the ticket's back link says the same.
    expect(await tab.getByRole('link', { name: '← My tickets' }).count()).toBe(1);
    await ctx.close();
  });
});
