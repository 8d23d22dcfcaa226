// Customers never see staff members' Entra object ids (isolation row): tenant A's customer reads their queue
// and each worked ticket in the tab API, and every message the bot sent to A's chats is read too; none may
// carry an engineer's or manager's object id.
import { ssoClaims } from '../support/tab';
import type { Stage } from './hostile';
import type { ScenarioResult } from './rig';
import { CUSTOMER_TENANTS, ENGINEERS, MANAGER } from './world';

const [A_TENANT] = CUSTOMER_TENANTS[0];
const A_USER = 'a0000000-0000-4000-8000-0000000000a1';

export async function staffIdsHidden(stage: Stage, result: ScenarioResult): Promise<void> {
  const staffIds = [...ENGINEERS.map(([id]) => id), MANAGER[0]].map((id) => id.toLowerCase());
  const token = stage.entra.mintToken(ssoClaims(A_TENANT, A_USER));
  const seen: [string, string][] = [];
  for (const path of [
    '/api/queue',
    '/api/queue?state=all',
    ...stage.a.ids.map((id) => `/api/tickets/${id}`),
  ]) {
    const res = await fetch(`${stage.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    result.operations++;
    if (res.status !== 200) result.failures.push(`A's customer: GET ${path} answered ${res.status}`);
    seen.push([`GET ${path}`, await res.text()]);
  }
  for (const r of stage.connector.sent())
    if (r.conversationId !== undefined && !r.conversationId.startsWith('19:'))
      seen.push([`sent to ${r.conversationId}`, JSON.stringify(r.body)]);
  for (const [where, text] of seen) {
    const lower = text.toLowerCase();
    const found = staffIds.filter((id) => lower.includes(id));
    if (found.length > 0) {
      result.leaked++;
      result.failures.push(`leak: ${where} shows staff object id ${found.join(', ')}`);
    }
  }
}
