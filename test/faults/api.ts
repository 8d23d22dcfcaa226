// The tab's JSON API under attack: bad Teams SSO tokens on every route get 401; a customer of tenant B asking
// for tenant A's tickets by id or by search gets exactly what a missing id gets, nothing of A's, and the attempt
// is audited; staff-only routes refuse customers. Runs on the hostile-input stage (tenant A's worked tickets).
import { ssoClaims } from '../support/tab';
import type { Stage } from './hostile';
import type { ScenarioResult } from './rig';
import { differences, snapshot } from './verify';
import { CUSTOMER_TENANTS } from './world';

const [A_TENANT] = CUSTOMER_TENANTS[0];
const [B_TENANT] = CUSTOMER_TENANTS[1];
const B_USER = 'b0000000-0000-4000-8000-0000000000b1';
const MISSING = 'TM-987654';
/** A client application that is neither Teams, Microsoft 365 nor SLA Desk. */
const FOREIGN_CLIENT = '0f0f0f0f-1111-4222-8333-444444444444';

const ROUTES = [
  '/api/me',
  '/api/queue',
  `/api/tickets/${MISSING}`,
  '/api/dashboard',
  '/api/availability',
  '/api/whatif?priority=P2&dispatched=2026-11-25T10:00:00-05:00',
  '/api/oncall',
];
const STAFF_ONLY = [
  '/api/dashboard',
  '/api/whatif',
  '/api/oncall',
  '/api/insights/workload',
  '/api/insights/trend',
  '/api/insights/sla',
  '/api/export/sla.csv',
];

async function get(url: string, token: string | undefined): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

function unsigned(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/** Bad tokens on every route: 401. */
export async function apiAuthentication(stage: Stage, result: ScenarioResult): Promise<void> {
  const entra = stage.entra;
  const claims = ssoClaims(B_TENANT, B_USER);
  const { azp: _azp, ...bare } = claims;
  const bad: [string, string | undefined][] = [
    ['no token', undefined],
    ['expired', entra.mintToken(claims, { expired: true })],
    ['wrongly signed', entra.mintToken(claims, { foreignKey: true })],
    ['wrong audience', entra.mintToken({ ...claims, aud: 'api://someone-else' })],
    ['wrong issuer', entra.mintToken({ ...claims, iss: 'https://evil.example/v2.0' })],
    [
      'issuer of another tenant',
      entra.mintToken({ ...claims, iss: `https://login.microsoftonline.com/${A_TENANT}/v2.0` }),
    ],
    ['no access_as_user scope', entra.mintToken({ ...claims, scp: 'User.Read' })],
    ['alg none', unsigned({ ...claims })],
    ['garbage', 'not.a.jwt'],
    // Obtained by another client application (a script, another app the user consented to), not Teams.
    ['another client application (azp)', entra.mintToken({ ...claims, azp: FOREIGN_CLIENT })],
    [
      'another client application (v1 appid)',
      entra.mintToken({ ...bare, appid: FOREIGN_CLIENT, ver: '1.0' }),
    ],
    ['no client application', entra.mintToken(bare)],
  ];
  for (const [name, token] of bad) {
    for (const route of ROUTES) {
      const r = await get(`${stage.app.url}${route}`, token);
      result.operations++;
      result.faults++;
      if (r.status !== 401)
        result.failures.push(`tab API ${route} with ${name}: answered ${r.status}, not 401`);
    }
  }
  const good = await get(`${stage.app.url}/api/me`, entra.mintToken(claims));
  result.operations++;
  if (good.status !== 200) result.failures.push(`tab API with a good token answered ${good.status}`);
  // The printable reports (the only HTML the API serves) carry their own strict policy: no script may run there.
  for (const route of ['/api/reports/availability?format=html', '/api/reports/sla?format=html']) {
    const page = await fetch(`${stage.app.url}${route}`, {
      headers: { authorization: `Bearer ${entra.mintToken(claims)}` },
    });
    const csp = page.headers.get('content-security-policy') ?? '';
    const body = await page.text();
    result.operations++;
    if (
      page.status !== 200 ||
      !csp.includes("default-src 'none'") ||
      /script-src/.test(csp) ||
      !csp.includes("frame-ancestors 'none'") ||
      page.headers.get('x-content-type-options') !== 'nosniff' ||
      !body.includes('http-equiv="Content-Security-Policy"')
    )
      result.failures.push(`${route}: ${page.status}, CSP "${csp.slice(0, 120)}" (a strict policy expected)`);
  }
  // A token of another client application is refused saying so, and recorded.
  const foreign = await get(`${stage.app.url}/api/me`, entra.mintToken({ ...claims, azp: FOREIGN_CLIENT }));
  result.operations++;
  if (!foreign.text.includes('FOREIGN_CLIENT'))
    result.failures.push(`a foreign client's token was not told why: ${foreign.text.slice(0, 200)}`);
  const day = new Date(stage.clock.now).toISOString().slice(0, 10);
  const rows = (await stage.app.deps.audit.day(day)).filter(
    (e) => e.action === 'api.token' && e.target === FOREIGN_CLIENT && e.tenantId === B_TENANT,
  );
  if (rows.length === 0) result.failures.push("a foreign client's token was not recorded in the audit log");
}

/** Tenant B's customer after A's tickets through the tab API. */
export async function apiIsolation(stage: Stage, result: ScenarioResult): Promise<void> {
  const token = stage.entra.mintToken(ssoClaims(B_TENANT, B_USER));
  const before = await snapshot(stage.app.storage, stage.prefix);
  const day = new Date(stage.clock.now).toISOString().slice(0, 10);
  const audited = async (id: string): Promise<number> =>
    (await stage.app.deps.audit.day(day)).filter((e) => e.target === id && e.tenantId === B_TENANT).length;
  const scrub = (text: string, id: string): string =>
    text
      .split(id)
      .join('<ID>')
      .split(id.toLowerCase())
      .join('<ID>')
      .replace(/"now":\d+/g, '"now":0');
  const leak = (what: string): void => {
    result.leaked++;
    result.failures.push(`leak: ${what}`);
  };
  const ways: [string, (id: string) => string][] = [
    ['GET /api/tickets/:id', (id) => `/api/tickets/${encodeURIComponent(id)}`],
    ['GET /api/tickets/:id (lower case)', (id) => `/api/tickets/${encodeURIComponent(id.toLowerCase())}`],
    ['GET /api/queue?q=id', (id) => `/api/queue?q=${encodeURIComponent(id)}`],
  ];
  for (const id of stage.a.ids) {
    for (const [name, path] of ways) {
      const auditBefore = await audited(id);
      const real = await get(`${stage.app.url}${path(id)}`, token);
      const control = await get(`${stage.app.url}${path(MISSING)}`, token);
      result.operations += 2;
      result.faults++;
      if (real.status !== control.status || scrub(real.text, id) !== scrub(control.text, MISSING))
        leak(
          `${name} on ${id} answers differently from a missing id: ${real.status} ${real.text.slice(0, 200)}`,
        );
      for (const s of stage.a.secrets) if (real.text.includes(s)) leak(`${name} on ${id} shows "${s}"`);
      if ((await audited(id)) <= auditBefore)
        result.failures.push(`${name} on ${id} was not recorded in the audit log`);
    }
  }
  // Search by A's words, and every listing B may see.
  for (const secret of stage.a.secrets.slice(2, 5)) {
    const r = await get(`${stage.app.url}/api/queue?q=${encodeURIComponent(secret.slice(0, 40))}`, token);
    result.operations++;
    result.faults++;
    for (const s of stage.a.secrets) if (r.text.includes(s)) leak(`/api/queue?q=… shows "${s}"`);
  }
  for (const route of ['/api/me', '/api/queue', '/api/availability']) {
    const r = await get(`${stage.app.url}${route}`, token);
    result.operations++;
    for (const s of stage.a.secrets) if (r.text.includes(s)) leak(`${route} shows "${s}"`);
    for (const id of stage.a.ids) if (new RegExp(`\\b${id}\\b`).test(r.text)) leak(`${route} shows ${id}`);
  }
  for (const route of STAFF_ONLY) {
    const r = await get(`${stage.app.url}${route}`, token);
    result.operations++;
    result.faults++;
    if (r.status !== 403) result.failures.push(`a customer got ${r.status} from staff-only ${route}`);
  }
  const changed = differences(before, await snapshot(stage.app.storage, stage.prefix));
  if (changed.length > 0)
    result.failures.push(`the tab API changed stored data: ${changed.slice(0, 5).join(', ')}`);
}
