// A customer asked for a ticket id their tenant does not have. The answer is the same as for a missing id;
// the audit log records which it was (another tenant's ticket, or none), which only staff read.
import { messageOf } from '../kit/errors';
import type { Logger } from '../../log';
import type { Instant } from '../sla';
import type { TicketService } from './service';

export interface RefusedLookupDeps {
  readonly tickets: Pick<TicketService, 'get'>;
  readonly audit: {
    record(entry: {
      readonly at: Instant;
      readonly action: string;
      readonly outcome: 'refused';
      readonly reason: string;
      readonly tenantId: string;
      readonly userId: string;
      readonly target: string;
    }): Promise<void>;
  };
  readonly log: Logger;
  readonly now: () => Instant;
}

/** Records the refused look-up of `id` by a user of `tenantId`; a failure to record is logged, not thrown. */
export async function recordRefusedLookup(
  deps: RefusedLookupDeps,
  who: { readonly tenantId: string; readonly userId: string },
  action: string,
  id: string,
): Promise<void> {
  try {
    const elsewhere = await deps.tickets.get({ kind: 'staff' }, id);
    await deps.audit.record({
      at: deps.now(),
      action,
      outcome: 'refused',
      reason: elsewhere.ok ? "another tenant's ticket" : 'no such ticket',
      tenantId: who.tenantId,
      userId: who.userId,
      target: id,
    });
  } catch (err) {
    deps.log.warn('could not record a refused look-up', { error: messageOf(err) });
  }
}
