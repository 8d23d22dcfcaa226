// Every staff action of the tab by keyboard alone, in a real Chromium (playwright-core): on a ticket, take,
// reply, ask, work-around, change priority (the dialog's deadlines read, Escape gives focus back), assign with
// the picker, fix, resolve, reopen, note; in the queue, two tickets selected and taken, one assigned. Only
// page.keyboard drives the page (the DOM is read to know where focus is); after each key to a control the
// focused element shows a focus indicator, and after each submit focus is on a control, never on <body>.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { SlaEngine } from '../../src/domain/sla';
import type { EventType, Ticket } from '../../src/domain/tickets/model';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { ENGINEER, MANAGER } from '../support/tab';
import {
  actionDone as done,
  describeBrowser,
  executablePath,
  launchChromium,
  SHOTS,
} from '../support/tab-world';
import { StaffDesk } from '../support/staff-world';

const REQUIRED = process.env['REQUIRE_BROWSER'] === '1';
const PERSONA_KEY = 'sla-desk.persona';

it('a browser is there when REQUIRE_BROWSER=1', () => {
  if (REQUIRED) expect(executablePath).toBeDefined();
});

/** The focused element as the test sees it, and the focus indicator it shows (null: none). */
interface Focused {
  readonly body: boolean;
  readonly tag: string;
  readonly testId: string | null;
  readonly label: string;
  readonly text: string;
  readonly indicator: string | null;
}

/**
 * Reads document.activeElement. Its indicator: an outline or box-shadow on the element, or on the ::before or
 * ::after of it or of a near ancestor (Fluent draws the ring of checkboxes there), or the 2 px underline Fluent
 * draws under a focused text field or select (the wrapper's ::after, shown only while focus is within).
 */
function readFocus(shown: boolean): Focused | null {
  const el = document.activeElement;
  const none = { tag: '', testId: null, label: '', text: '', indicator: null };
  if (!(el instanceof HTMLElement) || el === document.body) return shown ? null : { body: true, ...none };
  const ring = (node: Element, pseudo: string | null): string | null => {
    const cs = getComputedStyle(node, pseudo);
    if (pseudo !== null && cs.content === 'none') return null;
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) return `outline ${cs.outlineWidth}`;
    if (cs.boxShadow !== 'none' && node === el) return 'box-shadow';
    if (pseudo !== null && cs.borderTopStyle !== 'none' && parseFloat(cs.borderTopWidth) > 0)
      return `${pseudo} border ${cs.borderTopWidth}`;
    return null;
  };
  const indicator = (): string | null => {
    let node: Element | null = el;
    for (let depth = 0; node !== null && depth < 4; depth++, node = node.parentElement)
      for (const pseudo of [null, '::before', '::after']) {
        const found = depth === 0 || pseudo !== null ? ring(node, pseudo) : null;
        if (found !== null) return found;
      }
    const field = el.matches('input, textarea, select') ? el.parentElement : null;
    if (field !== null) {
      const after = getComputedStyle(field, '::after');
      if (
        after.content !== 'none' &&
        parseFloat(after.borderBottomWidth) >= 2 &&
        after.transform !== 'none' &&
        !after.transform.startsWith('matrix(0,')
      )
        return `underline ${after.borderBottomWidth}`;
    }
    return null;
  };
  const found = indicator();
  if (shown && found === null) return null;
  return {
    body: false,
    tag: el.tagName.toLowerCase(),
    testId: el.getAttribute('data-testid'),
    label:
      el.getAttribute('aria-label') ??
      (el instanceof HTMLSelectElement || el instanceof HTMLInputElement
        ? (el.labels?.[0]?.textContent ?? '').trim()
        : ''),
    text: el.innerText.trim().slice(0, 60),
    indicator: found,
  };
}

const focused = async (page: Page): Promise<Focused> => {
  const f = await page.evaluate(readFocus, false);
  if (f === null) throw new Error('unreachable: focus is always read');
  return f;
};

/**
 * The focused element once it shows its indicator (Fluent's field underline grows in 200 ms), or as it is
 * if none comes within a second.
 */
async function settled(page: Page): Promise<Focused> {
  await page.waitForFunction(readFocus, true, { timeout: 1000 }).catch(() => undefined);
  return focused(page);
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element matches `wanted`, at most `max` times; fails
 * naming what was passed. The element reached must show a focus indicator.
 */
async function tabTo(
  page: Page,
  wanted: (f: Focused) => boolean,
  what: string,
  { back = false, max = 60 }: { back?: boolean; max?: number } = {},
): Promise<Focused> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (wanted(f)) {
      const seen = await settled(page);
      expect({ what, indicator: seen.indicator === null ? 'none' : 'shown' }).toEqual({
        what,
        indicator: 'shown',
      });
      return f;
    }
    passed.push(f.testId ?? (f.label === '' ? `${f.tag} ${f.text}` : f.label));
  }
  throw new Error(`${what} never took focus in ${max} presses; passed ${passed.join(', ')}`);
}

/** The focused element is `testId` and shows a focus indicator. */
async function focusOn(page: Page, testId: string): Promise<void> {
  const f = await settled(page);
  expect({ testId: f.testId, indicator: f.indicator !== null }).toEqual({ testId, indicator: true });
}

const byTestId = (id: string) => (f: Focused) => f.testId === id;
const byLabel = (label: string) => (f: Focused) => f.label === label;
const byButton = (text: string) => (f: Focused) => f.tag === 'button' && f.text === text;

/** After a submit (once the page has settled): focus is on a control that shows it, not on <body>. */
async function focusKept(page: Page, after: string): Promise<Focused> {
  await page
    .waitForFunction(() => document.activeElement !== document.body, undefined, { timeout: 5000 })
    .catch(() => undefined);
  const f = await settled(page);
  expect({ after, body: f.body, indicator: f.indicator !== null }).toEqual({
    after,
    body: false,
    indicator: true,
  });
  return f;
}

describeBrowser('every staff action by keyboard alone, in Chromium', () => {
  let app: App;
  let browser: Browser;
  // Wednesday, inside support hours.
  const clock: TestClock = { now: et('2026-11-25 09:00') };
  const desk = new StaffDesk({ clock });
  const { stored } = desk;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app } = await desk.start());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await desk.stop();
  });

  const file = async (title: string): Promise<Ticket> => (await desk.file({ priority: 'P3', title })).ticket;

  async function events(id: string): Promise<EventType[]> {
    const got = await app.tickets.timeline({ kind: 'staff' }, id);
    if (!got.ok) throw got.error;
    return got.value.events.map((e) => e.type);
  }

  /** A fresh page as `persona` (chosen before the tab loads: no control is touched) at `route`. */
  async function open(persona: string, route: string, width: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      timezoneId: 'Europe/London',
      bypassCSP: true,
    });
    await context.addInitScript(
      ([key, value]) => {
        localStorage.setItem(key ?? '', value ?? '');
      },
      [PERSONA_KEY, persona],
    );
    const page = await context.newPage();
    await page.goto(`${app.url}/tab/index.html#/${route}`);
    return page;
  }

  async function ticketPage(id: string, width: number): Promise<Page> {
    const page = await open(`engineer:${ENGINEER}`, `ticket/${id}`, width);
    await page.locator('[data-testid="deadline-response"]').waitFor();
    return page;
  }

  /** Opens the form of `action` by keyboard (Tab from wherever focus is, then Enter). */
  async function openForm(page: Page, action: string): Promise<void> {
    await tabTo(page, byTestId(`action-${action}`), `the ${action} button`);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="form-${action}"]`).waitFor();
  }

  /** In an open form: types into the focused field, Tabs to the submit button, presses Enter. */
  async function typeAndSend(page: Page, text: string): Promise<void> {
    await focusOn(page, 'field-text');
    await page.keyboard.type(text);
    await tabTo(page, byTestId('action-submit'), 'the submit button', { max: 3 });
    await page.keyboard.press('Enter');
  }

  /** The selected value of the focused <select>, moved with the arrow keys until it is `value`. */
  async function arrowTo(page: Page, value: string): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const now = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value);
      if (now === value) return;
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`the picker never reached ${value}`);
  }

  /** The priority dialog, opened by keyboard from the form: P3 to P2, the reason typed. */
  async function reviewPriority(page: Page, reason: string): Promise<void> {
    await openForm(page, 'priority');
    await focusOn(page, 'priority-to');
    await arrowTo(page, 'P2');
    await tabTo(page, byTestId('field-reason'), 'the reason', { max: 3 });
    await page.keyboard.type(reason);
    await tabTo(page, byTestId('action-submit'), 'Review the change', { max: 3 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="priority-dialog"] [data-testid="preview-response"]').waitFor();
  }

  /** Escape closes the dialog, changes nothing, and gives focus back to the button that opened it. */
  async function escapeDialog(page: Page, id: string): Promise<void> {
    const before = (await stored(id)).version;
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="priority-dialog"]').waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'action-submit',
      undefined,
      { timeout: 5000 },
    );
    expect((await settled(page)).indicator).not.toBeNull();
    expect((await stored(id)).version).toBe(before);
  }

  /** Confirms the open dialog by keyboard (focus is trapped in it). */
  async function confirmDialog(page: Page): Promise<void> {
    await tabTo(page, byTestId('priority-confirm'), 'the confirm button', { max: 6 });
    await page.keyboard.press('Enter');
    await done(page, 'Priority changed.');
    await focusKept(page, 'priority');
  }

  it('at 1280 px an engineer does every ticket action by keyboard', async () => {
    const ticket = await file('Calls drop after 30 seconds');
    clock.now = et('2026-11-25 10:30');
    const page = await ticketPage(ticket.id, 1280);

    // Take.
    await tabTo(page, byTestId('action-take'), 'Take ownership');
    await page.keyboard.press('Enter');
    await done(page, 'You own it now.');
    await page.getByText('owner Eddie Engineer').waitFor();
    await focusKept(page, 'take');
    expect((await stored(ticket.id)).owner?.id).toBe(ENGINEER);

    // Reply.
    await openForm(page, 'reply');
    await typeAndSend(page, 'We are looking at the trunk now.');
    await done(page, 'Reply saved.');
    await focusKept(page, 'reply');
    expect(await events(ticket.id)).toContain('engineer-reply');

    // Ask for information: the clocks stop.
    await openForm(page, 'ask');
    await typeAndSend(page, 'Which extensions drop?');
    await done(page, 'Question saved');
    await focusKept(page, 'ask');
    expect((await stored(ticket.id)).status).toBe('waiting-on-customer');

    // A form cancelled gives focus back to the button that opened it.
    await openForm(page, 'note');
    await tabTo(page, byButton('Cancel'), 'Cancel', { max: 3 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="form-note"]').waitFor({ state: 'detached' });
    await focusOn(page, 'action-note');

    // Work-around.
    await openForm(page, 'workaround');
    await typeAndSend(page, 'Route calls over the second trunk meanwhile.');
    await done(page, 'Work-around saved.');
    await focusKept(page, 'workaround');
    expect((await stored(ticket.id)).workaroundMetAt).toBe(clock.now);

    // Priority: the dialog shows the engine's deadlines; Escape cancels; then confirm.
    await reviewPriority(page, 'Every call of the office drops');
    const now = await stored(ticket.id);
    const engine = new SlaEngine(DEFAULT_POLICY);
    const facts = {
      dispatched: now.dispatchedAt,
      priority: now.priority,
      pauses: now.pauses,
      changes: now.priorityChanges,
      met: {
        ...(now.responseMetAt === undefined ? {} : { response: now.responseMetAt }),
        ...(now.workaroundMetAt === undefined ? {} : { workaround: now.workaroundMetAt }),
      },
    };
    const before = engine.evaluate(facts);
    const after = engine.evaluate({ ...facts, changes: [...facts.changes, { at: clock.now, to: 'P2' }] });
    const shown = page.locator('[data-testid="priority-dialog"] [data-testid="preview-response"]');
    expect(await shown.getAttribute('data-before')).toBe(String(before.response.due ?? ''));
    expect(await shown.getAttribute('data-after')).toBe(String(after.response.due ?? ''));
    await page.screenshot({ path: join(SHOTS, 'keyboard-priority-1280.png') });
    await escapeDialog(page, ticket.id);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="priority-dialog"] [data-testid="preview-response"]').waitFor();
    await confirmDialog(page);
    expect((await stored(ticket.id)).priority).toBe('P2');

    // Assign to Maria with the picker.
    await openForm(page, 'assign');
    // The picker comes once the staff list has loaded (GET /api/staff), and takes focus then.
    await page.locator('[data-testid="assign-to"]').waitFor();
    await focusOn(page, 'assign-to');
    await arrowTo(page, MANAGER);
    await tabTo(page, byTestId('action-submit'), 'Assign', { max: 3 });
    await page.keyboard.press('Enter');
    await done(page, 'Assigned.');
    await page.getByText('owner Maria Manager').waitFor();
    await focusKept(page, 'assign');
    expect((await stored(ticket.id)).owner?.id).toBe(MANAGER);

    // Fix: the release first, then what was fixed.
    await openForm(page, 'fix');
    await focusOn(page, 'field-release');
    await page.keyboard.type('2026.11.3');
    await tabTo(page, byTestId('field-text'), 'what was fixed', { max: 3 });
    await typeAndSend(page, 'New trunk firmware.');
    await done(page, 'Permanent fix recorded.');
    await focusKept(page, 'fix');
    expect((await stored(ticket.id)).fix?.release).toBe('2026.11.3');

    // Resolve: the Resolve button goes, focus does not.
    await openForm(page, 'resolve');
    await typeAndSend(page, 'The carrier fixed the trunk.');
    await done(page, 'Resolved.');
    await page.locator('[data-testid="action-reopen"]').waitFor();
    await focusKept(page, 'resolve');
    expect((await stored(ticket.id)).status).toBe('resolved');

    // Reopen, with a reason.
    await openForm(page, 'reopen');
    await focusOn(page, 'field-reason');
    await page.keyboard.type('Drops again since noon');
    await tabTo(page, byTestId('action-submit'), 'Reopen', { max: 3 });
    await page.keyboard.press('Enter');
    await done(page, 'Reopened.');
    await page.locator('[data-testid="action-resolve"]').waitFor();
    await focusKept(page, 'reopen');
    expect((await stored(ticket.id)).status).not.toBe('resolved');

    // Internal note.
    await openForm(page, 'note');
    await typeAndSend(page, 'Carrier ticket 4411.');
    await done(page, 'Note added (staff only).');
    await focusKept(page, 'note');

    expect(await events(ticket.id)).toEqual(
      expect.arrayContaining([
        'owner-changed',
        'engineer-reply',
        'info-requested',
        'workaround-delivered',
        'priority-changed',
        'fix-recorded',
        'resolved',
        'reopened',
        'internal-note',
      ]),
    );
    const timeline = await page.locator('ol li').allTextContents();
    expect(timeline.some((x) => x.includes('Carrier ticket 4411.') && x.includes('from the tab'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'keyboard-ticket-1280.png'), fullPage: true });
    await page.context().close();
  });

  it('at 375 px an engineer replies and changes the priority by keyboard', async () => {
    const ticket = await file('Voicemail greeting cannot be changed');
    clock.now = et('2026-11-25 11:00');
    const page = await ticketPage(ticket.id, 375);

    await openForm(page, 'reply');
    await typeAndSend(page, 'Could you send a screenshot of the portal?');
    await done(page, 'Reply saved.');
    await focusKept(page, 'reply at 375 px');
    expect(await events(ticket.id)).toContain('engineer-reply');

    await reviewPriority(page, 'More users');
    await page.screenshot({ path: join(SHOTS, 'keyboard-priority-375.png') });
    await escapeDialog(page, ticket.id);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="priority-dialog"] [data-testid="preview-response"]').waitFor();
    await confirmDialog(page);
    expect((await stored(ticket.id)).priority).toBe('P2');
    await page.context().close();
  });

  /** Selects the tickets `ids` in the queue with Tab and Space. */
  async function select(page: Page, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await tabTo(page, byLabel(`Select ${id}`), `the checkbox of ${id}`);
      await page.keyboard.press('Space');
      await page.waitForFunction(
        (label) => (document.querySelector(`input[aria-label="${label}"]`) as HTMLInputElement).checked,
        `Select ${id}`,
      );
    }
    await page.getByText(`${ids.length} selected:`).waitFor();
  }

  /** Presses Enter on the bar's `button` (reached backwards from the rows) and waits for the answer. */
  async function bulk(page: Page, button: string, said: string): Promise<void> {
    await tabTo(page, byButton(button), `the bar's ${button} button`, { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('bulk-result').filter({ hasText: said }).waitFor();
    await focusKept(page, `bulk ${button}`);
  }

  it.each([1280, 375])(
    'at %i px a manager takes two tickets and assigns one from the queue',
    async (width) => {
      const a = await file(`Keys ${width}: transfers fail`);
      const b = await file(`Keys ${width}: voicemail delayed`);
      const c = await file(`Keys ${width}: fax to email stopped`);
      clock.now = et('2026-11-25 11:30');
      const page = await open(`manager:${MANAGER}`, 'queue', width);
      for (const t of [a, b, c]) await page.locator(`[data-testid="queue-row"][data-id="${t.id}"]`).waitFor();

      await select(page, [a.id, b.id]);
      await bulk(page, 'Take', 'Took 2 of 2.');
      for (const t of [a, b]) expect((await stored(t.id)).owner?.id).toBe(MANAGER);
      expect((await stored(c.id)).owner).toBeUndefined();
      await page.screenshot({ path: join(SHOTS, `keyboard-bulk-${width}.png`), fullPage: true });
      if (width < 640) {
        await page.context().close();
        return;
      }

      await select(page, [c.id]);
      await tabTo(page, byLabel('Assign to'), 'the bar’s assign picker', { back: true });
      await arrowTo(page, ENGINEER);
      await tabTo(page, byButton('Assign'), 'the bar’s Assign button', { max: 3 });
      await page.keyboard.press('Enter');
      await page.getByTestId('bulk-result').filter({ hasText: 'Assigned 1 of 1.' }).waitFor();
      await focusKept(page, 'bulk assign');
      expect((await stored(c.id)).owner?.id).toBe(ENGINEER);
      await page.context().close();
    },
  );
});
