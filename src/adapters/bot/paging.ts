// P1 outside support hours: the page card (thread and 1:1, with an @mention and Acknowledge) and its
// Acknowledge handler. The watcher (src/watcher) sends the pages of the chain through its outbox;
// acknowledging marks the ticket (`ack:<time>`), which stops the steps not yet sent.
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { when } from '../../domain/cards/time';
import { pageCard } from '../../domain/cards/page';
import { acknowledgePage } from '../../domain/tickets/paging';
import type { BotDeps } from './deps';
import { callerOf } from './teams';

/** What this feature uses of the app's parts. */
export type PagingDeps = Pick<BotDeps, 'audit' | 'config' | 'now' | 'policy' | 'staff' | 'tickets'>;

export function registerPaging(app: Application, deps: PagingDeps): void {
  app.adaptiveCards.actionExecute('page.ack', async (context, _state, data) => {
    const caller = callerOf(context.activity);
    const staff = await deps.staff.resolve(caller);
    const parsed = z.object({ ticketId: z.string().regex(/^[A-Za-z]{1,8}-\d{1,10}$/) }).safeParse(data);
    if (staff === undefined) {
      await deps.audit.record({
        at: deps.now(),
        action: 'page.ack',
        outcome: 'refused',
        reason: 'not support staff',
        tenantId: caller?.tenantId,
        userId: caller?.aadObjectId ?? caller?.userId,
        target: parsed.success ? parsed.data.ticketId : undefined,
      });
      return deps.config.bot.mode === 'local'
        ? 'Only support staff can do that. (Local mode: to act as staff, set STAFF_TENANT_ID and STAFF_ENGINEERS in env/.env.local.user; see the README.)'
        : 'Only support staff can do that.';
    }
    if (!parsed.success) return 'This page is not valid any more.';
    const actor = { id: staff.caller.aadObjectId ?? staff.caller.userId, name: staff.name, role: staff.role };
    const acked = await deps.tickets.act(
      { kind: 'staff' },
      parsed.data.ticketId.toUpperCase(),
      actor,
      acknowledgePage({ id: actor.id, name: staff.name }, deps.now()),
      { actionId: context.activity.id },
    );
    if (!acked.ok) return acked.error.message;
    const at = `${when(deps.now(), deps.policy.timeZone, deps.now())} ${deps.policy.timeZoneLabel}`;
    return pageCard(
      deps,
      acked.value.ticket,
      { id: staff.caller.aadObjectId ?? '', name: staff.name },
      `Acknowledged by ${staff.name}, ${at}`,
    );
  });
}
