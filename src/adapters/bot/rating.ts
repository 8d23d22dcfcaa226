// The rating card's Submit (`ticket.rate`): checks the card's data, rates (or changes the rating of) that
// resolution as the customer, and answers with the card updated in place. Scoped to the caller's tenant:
// another tenant's ticket id gets the same answer as a missing ticket.
import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { ratingCard } from '../../domain/cards/customer/rating';
import { LIMITS } from '../../domain/tickets/fields';
import { ratingOf } from '../../domain/tickets/rating';
import { clockFor, customerOf, notCustomerText } from './deps';
import { notFound, type FollowingDeps } from './following';

const payload = z.object({
  ticketId: z.string().regex(/^[A-Za-z]{1,8}-\d{1,10}$/),
  resolvedAt: z.coerce.number().int().nonnegative(),
  // The score is checked by the command, so that "0", "6" or "x" get its one answer.
  score: z.union([z.string().max(20), z.number()]).optional(),
  // Bounded well past the limit, so that an over-long comment gets the command's answer naming the limit.
  comment: z
    .string()
    .max(LIMITS.ratingComment * 8)
    .optional(),
});

export function register(app: Application, deps: FollowingDeps): void {
  app.adaptiveCards.actionExecute('ticket.rate', async (context, _state, data) => {
    const customer = customerOf(context, deps);
    if (customer === undefined) return notCustomerText(deps.contact);
    const parsed = payload.safeParse(data);
    if (!parsed.success) return 'That rating card is not valid any more.';
    const { caller } = customer;
    const id = parsed.data.ticketId.toUpperCase();
    const raw = parsed.data.score;
    const score = raw === undefined || raw === '' ? NaN : Number(raw);
    const acted = await deps.tickets.act(
      { kind: 'tenant', tenantId: caller.tenantId },
      id,
      { id: caller.aadObjectId ?? caller.userId, name: caller.name, role: 'customer' },
      { kind: 'rate', resolvedAt: parsed.data.resolvedAt, score, comment: parsed.data.comment },
      { actionId: context.activity.id },
    );
    if (!acted.ok) {
      if (acted.error.code === 'TICKET_NOT_FOUND') return notFound(deps, customer, 'ticket.rate', id);
      // Bad values say that nothing changed; the other refusals say why it cannot change.
      return acted.error.code === 'INVALID_INPUT'
        ? `${acted.error.message} Nothing was changed.`
        : acted.error.message;
    }
    const record = ratingOf(acted.value.ticket, parsed.data.resolvedAt);
    if (record === undefined) return 'That rating card is not valid any more.';
    return ratingCard(deps.policy, acted.value.ticket, record, clockFor(caller, deps));
  });
}
