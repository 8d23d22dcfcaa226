/// <reference lib="dom" />
// A seeded desk for the tab's browser tests (test/e2e/shell.test.ts, a11y.test.ts): the app in local mode with
// tickets in every state and an outage with a requested exclusion; the views each persona may open, how to
// tell one has finished loading, and axe-core run in the page. Also what every browser test needs: Chromium,
// the screenshot folder, a ticket page opened as a persona, an action's outcome and axe-core's verdict.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import { startTestApp, type TestClock } from './app';
import { startTestAzurite, type TestAzurite } from './azurite';
import { act, CONTOSO, ENGINEER, FABRIKAM, MANAGER, seed, TAB_ENV } from './tab';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
/** Chromium, when the machine has one (CI requires it with REQUIRE_BROWSER=1). */
export const executablePath = CANDIDATES.find(
  (p): p is string => p !== undefined && p !== '' && existsSync(p),
);
/**
 * describe where there is a Chromium, describe.skip where there is none. A function, not a constant, so that
 * the bench (which imports this module outside jest, where `describe` does not exist) can load it.
 */
export function describeBrowser(name: string, fn: () => void): void {
  (executablePath === undefined ? describe.skip : describe)(name, fn);
}
/** Where the browser tests save their screenshots. */
export const SHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

/** Chromium, headless, as the browser tests run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
}

/** How a ticket page is opened: its width, and the colour scheme and forced colours when not the default. */
export interface TicketPageOptions {
  readonly width: number;
  readonly colorScheme?: 'light' | 'dark';
  readonly forcedColors?: 'active' | 'none';
}

/** A fresh page on a ticket as `persona`, chosen with the tab's own switcher, once its deadlines show. */
export async function openTicket(
  browser: Browser,
  appUrl: string,
  id: string,
  persona: string,
  o: TicketPageOptions,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: o.width, height: 800 },
    timezoneId: 'Europe/London',
    ...(o.colorScheme === undefined ? {} : { colorScheme: o.colorScheme }),
    ...(o.forcedColors === undefined ? {} : { forcedColors: o.forcedColors }),
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${appUrl}/tab/index.html#/ticket/${id}`);
  const switcher = page.locator('select[data-testid="persona"]');
  await switcher.waitFor();
  await switcher.selectOption(persona);
  await page.locator('[data-testid="deadline-response"]').waitFor();
  return page;
}

/** Waits until the tab says an action with `text` was done; throws with the tab's words if it failed. */
export async function actionDone(page: Page, text: string): Promise<void> {
  const ok = page.locator('[data-testid="action-done"]', { hasText: text });
  const failed = page.locator('[data-testid="action-error"]');
  await ok.or(failed).first().waitFor();
  if ((await failed.count()) > 0) throw new Error(`the tab said: ${(await failed.textContent()) ?? ''}`);
}

/** axe-core on the whole page (injected again each time): nothing serious or critical. */
export async function expectNoSeriousAxe(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate<{ id: string; impact: string; nodes: string[] }[]>(`(async () => {
    const r = await axe.run(
      { include: [['body']], exclude: [['i[data-tabster-dummy]']] },
      { resultTypes: ['violations'] },
    );
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  })()`);
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect({ page: name, serious }).toEqual({ page: name, serious: [] });
}

export const PERSONAS = {
  manager: `manager:${MANAGER}`,
  engineer: `engineer:${ENGINEER}`,
  customer: `customer:${CONTOSO}`,
} as const;
export type PersonaName = keyof typeof PERSONAS;

/** A view: its route and the id of the heading it shows once loaded. */
export interface View {
  readonly name: string;
  readonly route: string;
  readonly heading: string;
}

export interface TabWorld {
  readonly app: App;
  readonly ids: Readonly<Record<'waiting' | 'replied' | 'atRisk' | 'breached' | 'fresh', string>>;
  /** The views `persona` may open, the ticket view on one of its tenant's tickets. */
  views(persona: PersonaName): readonly View[];
  stop(): Promise<void>;
}

/** The app with five tickets (breached, at risk, on track, replied, waiting) and an ongoing outage. */
export async function startTabWorld(): Promise<TabWorld> {
  const azurite: TestAzurite = await startTestAzurite();
  const clock: TestClock = { now: et('2026-11-25 07:00') };
  const app = await startTestApp({
    connectionString: azurite.connectionString,
    clock,
    env: {
      ...TAB_ENV,
      ONCALL_ROTATION: JSON.stringify({
        start: '2026-11-23',
        handover: '09:00',
        weeks: [
          { primary: ENGINEER, secondary: MANAGER },
          { primary: MANAGER, secondary: ENGINEER },
        ],
      }),
    },
  });
  try {
    const waiting = await seed(app, clock, et('2026-11-25 07:00'), {
      priority: 'P3',
      category: 'provisioning',
      title: 'Numbers for the new office in Rotterdam, all forty of them, with their voicemail boxes',
    });
    await act(app, clock, et('2026-11-25 07:30'), waiting.id, {
      kind: 'ask',
      text: 'Which numbers exactly?',
    });
    const replied = await seed(app, clock, et('2026-11-25 08:00'), {
      priority: 'P2',
      title: 'Transfers fail for two accounts',
    });
    await act(app, clock, et('2026-11-25 08:30'), replied.id, { kind: 'reply', text: 'Looking now' });
    const atRisk = await seed(app, clock, et('2026-11-25 08:50'), {
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      priority: 'P2',
      title: 'Voicemail delayed',
    });
    const breached = await seed(app, clock, et('2026-11-25 09:00'), {
      priority: 'P1',
      category: 'outage',
      title: 'No calls at all',
    });
    const fresh = await seed(app, clock, et('2026-11-25 10:00'), {
      tenantId: FABRIKAM,
      customerName: 'Fabrikam',
      priority: 'P3',
      category: 'provisioning',
      title: 'Port two numbers',
    });
    clock.now = et('2026-11-25 10:20');
    const outage = await app.deps.outages.record(
      { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' },
      {
        start: et('2026-11-25 09:00'),
        end: null,
        affected: 'Calling in Europe',
        cause: 'Carrier trunk down',
        exclusion: { category: 'b', justification: 'The carrier’s fibre was cut by road works.' },
      },
    );
    if (!outage.ok) throw outage.error;
    clock.now = et('2026-11-25 10:30');
    await app.background.drain();
    const ids = {
      waiting: waiting.id,
      replied: replied.id,
      atRisk: atRisk.id,
      breached: breached.id,
      fresh: fresh.id,
    };
    return {
      app,
      ids,
      views(persona) {
        const ticket = { name: 'Ticket', route: `ticket/${ids.breached}`, heading: 'ticket-title' };
        const queue = { name: 'Queue', route: 'queue', heading: 'queue-title' };
        const availability = { name: 'Availability', route: 'availability', heading: 'avail-title' };
        const reports = { name: 'Reports', route: 'reports', heading: 'report-title' };
        if (persona === 'customer') return [queue, availability, reports, ticket];
        return [
          queue,
          { name: 'Dashboard', route: 'dashboard', heading: 'dash-title' },
          availability,
          { name: 'Outages', route: 'outages', heading: 'outages-title' },
          reports,
          { name: 'What-if', route: 'whatif', heading: 'whatif-title' },
          { name: 'On call', route: 'oncall', heading: 'oncall-title' },
          { name: 'Team', route: 'team', heading: 'team-title' },
          ticket,
          { name: 'Config', route: 'config', heading: 'config-title' },
        ];
      },
      async stop() {
        await app.stop();
        await azurite.stop();
      },
    };
  } catch (err) {
    await app.stop();
    await azurite.stop();
    throw err;
  }
}

/**
 * Opens `view` in `page` (already on the tab) by its route and waits until it has loaded: its heading is
 * there and nothing in the main area is still loading.
 */
export async function showView(page: Page, view: View): Promise<void> {
  await page.evaluate((route) => {
    window.location.hash = `#/${route}`;
  }, view.route);
  // Functions, not strings: the tab's CSP (no 'unsafe-eval') is enforced in these pages.
  await page.waitForFunction(
    (heading) =>
      document.querySelector(`main h2#${heading}`) !== null &&
      document.querySelector('main [role="status"]') === null,
    view.heading,
  );
}

/** Picks `persona` with the tab's own switcher (local mode) and waits for its queue to load. */
export async function becomePersona(page: Page, persona: PersonaName): Promise<void> {
  await showView(page, { name: 'Queue', route: 'queue', heading: 'queue-title' });
  await page.locator('select[data-testid="persona"]').selectOption(PERSONAS[persona]);
  const role = ` · ${persona} `;
  await page.waitForFunction(
    (r) =>
      `${document.querySelector('header')?.textContent ?? ''} `.includes(r) &&
      document.querySelector('main h2#queue-title') !== null &&
      document.querySelector('main [role="status"]') === null,
    role,
  );
}

export interface Violation {
  readonly id: string;
  readonly impact: string;
  readonly nodes: readonly string[];
}

/**
 * axe-core's violations of every impact on the page (injected once per document). Fluent UI's focus manager
 * (Tabster) adds focusable aria-hidden <i data-tabster-dummy> sentinels that hand focus on at once; they are
 * its documented design, not content, so they are left out.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(`typeof window.axe === 'object'`)))
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate<Violation[]>(`(async () => {
    const r = await axe.run(
      { include: [['body']], exclude: [['i[data-tabster-dummy]']] },
      { resultTypes: ['violations'] },
    );
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => JSON.stringify(n.target) + ' ' + (n.failureSummary ?? '').replace(/\\s+/g, ' ').slice(0, 300)),
    }));
  })()`);
}
