// Trial 20: the printable SLA and availability reports fit a 375 px wide screen (no sideways scrolling), in a
// real Chromium, under their own strict CSP (the style still applies: its hash is taken from the page).
import { chromium, type Browser } from 'playwright-core';
import { withCspMeta } from '../../src/adapters/api/page-csp';
import { DEFAULT_POLICY } from '../../src/domain/policy/default';
import { availabilityReport } from '../../src/domain/reports/availability';
import { customerReport } from '../../src/domain/reports/customer';
import { availabilityHtml, customerHtml } from '../../src/domain/reports/render';
import { SlaEngine } from '../../src/domain/sla';
import { apply, openTicket, type Command } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { aFiling, alice, ann, CONTOSO } from '../fixtures/filing';

const engine = new SlaEngine(DEFAULT_POLICY);
const et = (local: string): number => Date.parse(`${local}-05:00`);
const NOW = et('2026-12-20T12:00:00');
const LONG = 'TheAdminPortalShowsAnErrorWhenWeAddUserJaneAtContosoExample'.repeat(2);

function ticket(
  id: string,
  priority: 'P1' | 'P2' | 'P3',
  at: string,
  steps: [Actor, Command, string][],
): Ticket {
  const opened = openTicket(id, aFiling({ priority, title: `${LONG} ${id}` }), et(at), engine);
  if (!opened.ok) throw opened.error;
  let t = opened.value.ticket;
  for (const [who, cmd, when] of steps) {
    const r = apply(t, who, cmd, et(when), engine);
    if (!r.ok) throw r.error;
    t = r.value.ticket;
  }
  return t;
}

/** Every table of the report filled: targets of each priority, breaches (met late and not yet), waits. */
const tickets = [
  ticket('TM-1001', 'P1', '2026-12-01T10:00:00', [
    [alice, { kind: 'reply', text: 'Late.' }, '2026-12-01T14:00:00'],
  ]),
  ticket('TM-1002', 'P2', '2026-12-02T10:00:00', []),
  ticket('TM-1003', 'P3', '2026-12-03T10:00:00', [
    [alice, { kind: 'ask', text: 'Which user?' }, '2026-12-03T10:30:00'],
    [ann, { kind: 'customer-message', text: 'Jane.' }, '2026-12-03T11:04:19'],
  ]),
];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
}, 60_000);
afterAll(async () => {
  await browser.close();
});

const pages: [string, string][] = [
  [
    'the SLA report (staff)',
    customerHtml(
      customerReport(DEFAULT_POLICY, engine, '2026-12', CONTOSO, 'Contoso', tickets, [], NOW, 'staff'),
    ),
  ],
  [
    'the SLA report (customer)',
    customerHtml(customerReport(DEFAULT_POLICY, engine, '2026-12', CONTOSO, LONG, tickets, [], NOW)),
  ],
  [
    'the availability report',
    availabilityHtml(availabilityReport(DEFAULT_POLICY, '2026-12', [], NOW, 'staff')),
  ],
];

describe.each(pages)('%s at 375 px', (_name, html) => {
  it('does not scroll sideways, and its style applies under the CSP', async () => {
    expect(html).toContain('<table');
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await page.setContent(withCspMeta(html));
    const size = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      widest: Math.max(
        ...Array.from(
          document.querySelectorAll<HTMLTableElement>('table'),
          (t) => t.getBoundingClientRect().right,
        ),
      ),
      shade: getComputedStyle(document.querySelector('th') ?? document.body).backgroundColor,
    }));
    expect(size.client).toBe(375);
    expect(size.scroll).toBeLessThanOrEqual(size.client);
    expect(size.widest).toBeLessThanOrEqual(size.client);
    expect(size.shade).toBe('rgb(245, 245, 245)');
    expect(violations).toEqual([]);
    await page.close();
  });
});
