// Tab API helpers for tests: the staff and customers of a test deployment, Teams SSO claims as Entra
// issues them, and tickets seeded through the real service (listeners told, as the bot does).
import type { App } from '../../src/app';
import type { Command, NewTicketInput } from '../../src/domain/tickets/commands';
import type { Actor, Ticket } from '../../src/domain/tickets/model';
import { aFiling, CONTOSO, FABRIKAM } from '../fixtures/filing';
import type { JwtClaims } from './entra';
import type { TestClock } from './app';

export const STAFF_TENANT = '33333333-3333-4333-8333-333333333333';
export const FOREIGN_TENANT = '44444444-4444-4444-8444-444444444444';
export const MANAGER = 'aaaaaaaa-0000-4000-8000-000000000001';
export const ENGINEER = 'aaaaaaaa-0000-4000-8000-000000000002';
export const CLIENT_ID = '9d0c6f3e-2a4b-4c5d-8e6f-7a8b9c0d1e2f';
export const APP_ID_URI = `api://localhost/${CLIENT_ID}`;

export { CONTOSO, FABRIKAM };

/** Staff and customers as the configuration names them. */
export const TAB_ENV: Readonly<Record<string, string>> = {
  STAFF_TENANT_ID: STAFF_TENANT,
  STAFF_MANAGERS: `${MANAGER}=Maria Manager`,
  STAFF_ENGINEERS: `${ENGINEER}=Eddie Engineer`,
  CUSTOMER_TENANTS: `${CONTOSO}=Contoso;${FABRIKAM}=Fabrikam`,
};

/** Teams web's client id: the `azp` of the tokens Teams gets for the tab. */
export const TEAMS_WEB = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

/** Claims of a Teams SSO access token (Entra v2) for this app, as Teams web obtains it. */
export function ssoClaims(tenantId: string, objectId: string, over: Record<string, unknown> = {}): JwtClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: CLIENT_ID,
    iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    tid: tenantId,
    oid: objectId,
    name: 'Test User',
    scp: 'access_as_user',
    azp: TEAMS_WEB,
    ver: '2.0',
    ...(over as JwtClaims),
  };
}

export const engineerActor: Actor = { id: ENGINEER, name: 'Eddie Engineer', role: 'engineer' };

/** Files a ticket at `at` (the test clock moves there) and tells the listeners. */
export async function seed(
  app: App,
  clock: TestClock,
  at: number,
  over: Partial<NewTicketInput>,
): Promise<Ticket> {
  clock.now = at;
  const filed = await app.tickets.file(aFiling(over));
  if (!filed.ok) throw filed.error;
  return filed.value.ticket;
}

/** Applies a command at `at` as the engineer and tells the listeners. */
export async function act(app: App, clock: TestClock, at: number, id: string, cmd: Command): Promise<Ticket> {
  clock.now = at;
  const acted = await app.tickets.act({ kind: 'staff' }, id, engineerActor, cmd);
  if (!acted.ok) throw acted.error;
  return acted.value.ticket;
}

/** GET with a bearer token; the parsed JSON body. */
export async function getJson(
  url: string,
  token: string | undefined,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
