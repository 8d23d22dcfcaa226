/// <reference lib="dom" />
// A stand-in for Teams' web client, for the tab's browser tests: a page at https://teams.microsoft.com (answered
// by Playwright, nothing leaves 127.0.0.1) that frames the tab and answers teams-js 2.x's messages as Teams
// does: initialize, getContext, getAuthToken (refused with `refusal` until the person consents, then `token`)
// and authenticate (opens the sign-in window, then relays its notifySuccess / notifyFailure, or
// CancelledByUser when it is closed first); app.openLink's executeDeepLink is answered done. Every message is recorded in window.__calls. teams-js opens only
// https sign-in windows, so the app is reached as APP_ORIGIN, which Playwright forwards to the loopback app.
import type { BrowserContext, Page } from 'playwright-core';

export const TEAMS_ORIGIN = 'https://teams.microsoft.com';
/** Where teams-js 2.x fetches its list of valid Teams origins (its validOriginsCdnEndpoint). */
export const VALID_DOMAINS = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

/** The app's public https name in these tests (forwarded to its loopback address). */
export const APP_ORIGIN = 'https://sla-desk.test';

export interface HostPlan {
  /** The tab's address to frame, e.g. `${APP_ORIGIN}/tab/index.html#/queue`. */
  readonly tabUrl: string;
  /** What getAuthToken fails with before consent (e.g. resourceRequiresConsent). */
  readonly refusal: string;
  /** The token getAuthToken gives after consent. */
  readonly token: string;
  readonly tenantId: string;
  readonly userPrincipalName: string;
  /** True when the person has consented already (getAuthToken answers with `token` at once). */
  readonly consented?: boolean;
  /** The sub-page a deep link opened the tab at (the context's subEntityId). */
  readonly subPageId?: string;
}

export interface HostCall {
  readonly from: 'tab' | 'popup';
  readonly func: string;
  readonly args: unknown[];
}

function hostPage(plan: HostPlan): string {
  return `<!doctype html><html><head><title>Teams</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}</style></head>
<body><iframe title="SLA Desk" src="${plan.tabUrl}"></iframe><script>
const plan = ${JSON.stringify(plan)};
const calls = (window.__calls = []);
const frame = document.querySelector('iframe');
const runtime = JSON.stringify({ apiVersion: 4, supports: { authentication: {}, pages: { appButton: {}, tabs: {}, config: {} }, teamsCore: {} } });
let consented = plan.consented === true;
let pending = null;
let popup = null;
function reply(to, msg, args) { to.source.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, to.origin); }
function settle(ok, value) {
  if (pending === null) return;
  reply(pending, pending.msg, [ok, value]);
  pending = null;
}
window.addEventListener('message', (e) => {
  const msg = e.data;
  if (!msg || typeof msg.func !== 'string') return;
  const fromTab = e.source === frame.contentWindow;
  if (!fromTab && (popup === null || e.source !== popup)) return;
  calls.push({ from: fromTab ? 'tab' : 'popup', func: msg.func, args: msg.args ?? [] });
  const to = { source: e.source, origin: e.origin };
  switch (msg.func) {
    case 'initialize':
      reply(to, msg, [fromTab ? 'content' : 'authentication', 'web', runtime, '2.58.0']);
      break;
    case 'getContext':
      reply(to, msg, [{ tid: plan.tenantId, loginHint: plan.userPrincipalName, userPrincipalName: plan.userPrincipalName,
        userObjectId: '00000000-0000-4000-8000-00000000c0de', theme: 'default', locale: 'en-gb',
        frameContext: fromTab ? 'content' : 'authentication', hostClientType: 'web', entityId: 'queue', subEntityId: fromTab ? plan.subPageId : undefined }]);
      break;
    case 'authentication.getAuthToken':
      reply(to, msg, consented ? [true, plan.token] : [false, plan.refusal]);
      break;
    case 'authentication.authenticate': {
      pending = { ...to, msg };
      const [url, width, height] = msg.args;
      popup = window.open(url, '_blank', 'width=' + width + ',height=' + height);
      const opened = popup;
      const watch = setInterval(() => {
        if (opened.closed) { clearInterval(watch); settle(false, 'CancelledByUser'); }
      }, 50);
      break;
    }
    case 'authentication.authenticate.success':
      consented = true;
      settle(true, msg.args[0]);
      break;
    case 'authentication.authenticate.failure':
      settle(false, msg.args[0]);
      break;
    case 'executeDeepLink':
      // app.openLink: Teams takes the link (a browser or the device saves a download); recorded, answered done.
      reply(to, msg, [true]);
      break;
  }
});
</script></body></html>`;
}

/**
 * Answers the Teams host page, teams-js's list of valid origins and APP_ORIGIN (forwarded to `appUrl`, the
 * app on loopback) in `ctx`, every page of it, the sign-in window too; returns the host's address.
 */
export async function routeTeamsHost(ctx: BrowserContext, appUrl: string, plan: HostPlan): Promise<string> {
  await ctx.route(`${APP_ORIGIN}/**`, async (route) => {
    const asked = new URL(route.request().url());
    // Uncompressed, so the answer's body and headers go back to the page as the app sent them.
    const answer = await route.fetch({
      url: `${appUrl}${asked.pathname}${asked.search}`,
      headers: { ...route.request().headers(), 'accept-encoding': 'identity' },
      maxRedirects: 0,
    });
    await route.fulfill({ response: answer });
  });
  await ctx.route(`${TEAMS_ORIGIN}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: hostPage(plan) }),
  );
  await ctx.route('https://res.cdn.office.net/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com'] }),
    }),
  );
  return `${TEAMS_ORIGIN}/v2/`;
}

/** The messages the host got so far. */
export const hostCalls = (page: Page): Promise<HostCall[]> => page.evaluate('window.__calls');
