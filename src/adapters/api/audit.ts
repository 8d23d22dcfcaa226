// Refusals the tab API records in the audit log for staff to read: an action a caller's role may not take,
// a report of another tenant. The answer the caller gets says no more than a 403 or 404.
import type { Instant } from '../../domain/sla';
import type { AuditLog } from '../storage/audit';
import type { Principal } from './auth';

/** Records that `p` was refused `action` (as "api.<action>") on `target`, and why. */
export async function recordRefusal(
  deps: { readonly audit: AuditLog; readonly now: () => Instant },
  p: Principal,
  action: string,
  reason: string,
  target?: string,
): Promise<void> {
  await deps.audit.record({
    at: deps.now(),
    action: `api.${action}`,
    outcome: 'refused',
    reason,
    tenantId: p.tenantId,
    userId: p.userId,
    target,
  });
}
