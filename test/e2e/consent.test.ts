/// <reference lib="dom" />
// Teams SSO in a tenant that has not yet consented, in a real Chromium under a stand-in Teams web client
// (test/support/teams-host.ts): getAuthToken's consent refusal shows what is missing and a Continue button;
// the sign-in window (auth-start.html) goes to the tenant's authorize endpoint of a stand-in authority with
// the app's client id, scope, prompt=consent and a state; the authority's answer lands on auth-end.html,
// which checks the state and tells Teams; the tab then asks for the token again and shows the queue. A
// forged state, a closed window and a refusal that is not about consent each end where the person can see.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { App } from '../../src/app';
import { et } from '../fixtures';
import type { TestClock } from '../support/app';
import { startWithTabSso } from '../support/authed';
import type { FakeEntra } from '../support/entra';
import { APP_ID_URI, CLIENT_ID, CONTOSO, seed, ssoClaims } from '../support/tab';
import { executablePath } from '../support/tab-world';
import { APP_ORIGIN, hostCalls, routeTeamsHost, type HostCall } from '../support/teams-host';

const UPN = 'ada@contoso.example';
const USER = 'cccccccc-0000-4000-8000-000000000001';
/** Teams web's client id, as getAuthToken's tokens carry it. */
const TEAMS_WEB = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
const SHOTS = 'test-results/screenshots';

/** What the authority does with an authorize request. */
type Answer = 'consent' | 'forged-state' | 'hold';

/** The Entra authority the app is configured with (LOGIN_ENDPOINT); Playwright answers it. */
const AUTHORITY = 'https://login.authority.test';

/**
 * A stand-in Entra authorize endpoint in `ctx`: records each request, then answers as `answer()` says (back to
 * the redirect URI with a code and the state sent, or another state; or a consent page left open).
 */
async function routeAuthority(ctx: BrowserContext, requests: URL[], answer: () => Answer): Promise<void> {
  await ctx.route(`${AUTHORITY}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (!/^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(url.pathname)) {
      await route.fulfill({ status: 404 });
      return;
    }
    requests.push(url);
    if (answer() === 'hold') {
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<title>Permissions requested</title>',
      });
      return;
    }
    const state = answer() === 'forged-state' ? 'not-the-state-sent' : (url.searchParams.get('state') ?? '');
    const back = new URLSearchParams({ code: 'a-code-never-redeemed', state, session_state: 'x' });
    await route.fulfill({
      status: 302,
      headers: { location: `${url.searchParams.get('redirect_uri') ?? ''}#${back.toString()}` },
    });
  });
}

const describeBrowser = executablePath === undefined ? describe.skip : describe;

describeBrowser('Teams sign-in in a tenant that has not consented', () => {
  let entra: FakeEntra;
  const requests: URL[] = [];
  let answer: Answer = 'consent';
  let app: App;
  let stop: () => Promise<void>;
  let browser: Browser;
  const clock: TestClock = { now: et('2026-11-25 09:00') };

  beforeAll(async () => {
    ({ entra, app, stop } = await startWithTabSso({ clock, env: { LOGIN_ENDPOINT: AUTHORITY } }));
    await seed(app, clock, et('2026-11-25 09:00'), { title: 'Calls drop after a minute' });
    clock.now = et('2026-11-25 09:30');
    await app.background.drain();
    browser = await chromium.launch({ executablePath: executablePath ?? '', args: ['--no-sandbox'] });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser.close();
    await stop();
  });

  /** Teams at `width` with the tab framed; every page records CSP violations and CSP console errors. */
  async function teams(
    refusal: string,
    width = 1280,
  ): Promise<{ ctx: BrowserContext; page: Page; csp: string[] }> {
    const ctx = await browser.newContext({ viewport: { width, height: 800 } });
    const csp: string[] = [];
    ctx.on('console', (m) => {
      if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) csp.push(m.text());
    });
    await ctx.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
    });`);
    await routeAuthority(ctx, requests, () => answer);
    const host = await routeTeamsHost(ctx, app.url, {
      tabUrl: `${APP_ORIGIN}/tab/index.html#/queue`,
      refusal,
      token: entra.mintToken(ssoClaims(CONTOSO, USER, { azp: TEAMS_WEB, upn: UPN })),
      tenantId: CONTOSO,
      userPrincipalName: UPN,
    });
    const page = await ctx.newPage();
    await page.goto(host);
    return { ctx, page, csp };
  }

  const tab = (page: Page) => page.frameLocator('iframe');
  const funcs = (calls: HostCall[], func: string) => calls.filter((c) => c.func === func);

  it('a consent refusal: the message, Continue, the consent round trip, then the queue', async () => {
    answer = 'consent';
    const before = requests.length;
    const { ctx, page, csp } = await teams('resourceRequiresConsent');
    const consent = tab(page).getByTestId('consent');
    await consent.getByRole('heading', { name: 'SLA Desk needs your permission to sign you in' }).waitFor();
    const admin = consent.getByTestId('consent-admin').getByRole('link');
    expect(await admin.getAttribute('href')).toBe(
      `${AUTHORITY}/${CONTOSO}/adminconsent?client_id=${CLIENT_ID}`,
    );
    await page.screenshot({ path: `${SHOTS}/consent-1280.png` });

    const opened = ctx.waitForEvent('page');
    await consent.getByRole('button', { name: 'Continue' }).click();
    const popup = await opened;
    await popup.waitForEvent('close');
    await tab(page).locator('main h2#queue-title').waitFor();
    await tab(page).getByText('Calls drop after a minute').waitFor();

    // The sign-in window asked the person's own tenant, for this app, with a state, to come back to auth-end.
    expect(requests.length).toBe(before + 1);
    const asked = requests[before];
    if (asked === undefined) throw new Error('no authorize request');
    expect(asked.pathname).toBe(`/${CONTOSO}/oauth2/v2.0/authorize`);
    const q = Object.fromEntries(asked.searchParams);
    expect(q).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      response_mode: 'fragment',
      scope: `${APP_ID_URI}/access_as_user openid profile`,
      prompt: 'consent',
      redirect_uri: `${APP_ORIGIN}/tab/auth-end.html`,
      login_hint: UPN,
      code_challenge_method: 'S256',
    });
    expect(q['state']).toMatch(/^[\w-]{43}$/);
    expect(q['code_challenge']).toMatch(/^[\w-]{43}$/);

    // Teams was asked for a token, refused, opened the window as asked, and was asked again after consent.
    const calls = await hostCalls(page);
    const authenticate = funcs(calls, 'authentication.authenticate');
    expect(authenticate.map((c) => c.args)).toEqual([
      [
        `${APP_ORIGIN}/tab/auth-start.html?tenant=${CONTOSO}&loginHint=${encodeURIComponent(UPN)}`,
        600,
        535,
        undefined,
      ],
    ]);
    expect(funcs(calls, 'authentication.authenticate.success').map((c) => c.from)).toEqual(['popup']);
    const tokens = calls.filter(
      (c) => c.func === 'authentication.getAuthToken' || c.func === 'authentication.authenticate',
    );
    expect(tokens.map((c) => c.func).slice(0, 3)).toEqual([
      'authentication.getAuthToken',
      'authentication.authenticate',
      'authentication.getAuthToken',
    ]);
    expect(
      await tab(page)
        .locator('body')
        .evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []),
    ).toEqual([]);
    expect(csp).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('at 375 px the message fits the phone', async () => {
    const { ctx, page } = await teams('resourceRequiresConsent', 375);
    const consent = tab(page).getByTestId('consent');
    await consent.getByRole('button', { name: 'Continue' }).waitFor();
    const over = await tab(page)
      .locator('body')
      .evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(over).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/consent-375.png` });
    await ctx.close();
  });

  it('an answer with another state: refused, said so, and no token asked for', async () => {
    answer = 'forged-state';
    const { ctx, page } = await teams('resourceRequiresConsent');
    const consent = tab(page).getByTestId('consent');
    const opened = ctx.waitForEvent('page');
    await consent.getByRole('button', { name: 'Continue' }).click();
    await (await opened).waitForEvent('close');
    await consent
      .getByTestId('consent-failed')
      .getByText(
        'The answer from Microsoft sign-in did not belong to this request, so SLA Desk did not use it.',
      )
      .waitFor();
    await consent.getByRole('button', { name: 'Try again' }).waitFor();
    const calls = await hostCalls(page);
    expect(funcs(calls, 'authentication.authenticate.failure').map((c) => c.args)).toEqual([
      ['StateDoesNotMatch'],
    ]);
    expect(funcs(calls, 'authentication.authenticate.success')).toEqual([]);
    // Only the first, refused, request for a token: nothing was retried on a forged answer.
    expect(funcs(calls, 'authentication.getAuthToken').length).toBe(1);
    expect(await tab(page).locator('main h2#queue-title').count()).toBe(0);
    await ctx.close();
  }, 60_000);

  it('the window closed before consent: said so, and Continue can be tried again', async () => {
    answer = 'hold';
    const { ctx, page } = await teams('resourceRequiresConsent');
    const consent = tab(page).getByTestId('consent');
    const opened = ctx.waitForEvent('page');
    await consent.getByRole('button', { name: 'Continue' }).click();
    const popup = await opened;
    await popup.waitForURL(`${AUTHORITY}/**`);
    await popup.close();
    await consent
      .getByTestId('consent-failed')
      .getByText('The sign-in window was closed before permission was given.')
      .waitFor();
    expect(await consent.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true);
    await ctx.close();
  }, 60_000);

  it('a refusal that is not about consent keeps the general message', async () => {
    const { ctx, page } = await teams('resourceDisabled');
    await tab(page).getByRole('alert').getByText('resourceDisabled').waitFor();
    await tab(page).getByText('Something went wrong.').waitFor();
    expect(await tab(page).getByTestId('consent').count()).toBe(0);
    await ctx.close();
  });
});
