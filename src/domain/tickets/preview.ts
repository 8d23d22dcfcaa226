// What a priority change would do to a ticket's deadlines, before anyone confirms it: the same command the
// change itself runs (apply), at `now`, with nothing saved. Pure: the engine and `now` are parameters.
import type { Clock, Instant, Priority, SlaEngine, TargetName } from '../sla';
import { apply } from './commands';
import type { Result } from './errors';
import { fail, ok } from './errors';
import type { Actor, Ticket } from './model';
import type { TicketRules } from './plan';
import { slaOf } from './sla-view';

export interface PriorityPreview {
  readonly from: Priority;
  readonly to: Priority;
  /** Each target: the clock it runs on after the change, its deadline now and after (null while paused). */
  readonly targets: readonly {
    readonly name: TargetName;
    readonly clock: Clock;
    readonly dueBefore: Instant | null;
    readonly dueAfter: Instant | null;
  }[];
}

/**
 * The deadlines of `t` before and after a change to `to` by `actor` at `now`; refused as the change would be.
 * @example previewPriority(p3, 'P1', alice, Date.parse('2026-11-25T10:30-05:00'), engine)
 *   // ok: { from: 'P3', to: 'P1', targets: [{ name: 'response', clock: 'continuous', dueBefore, dueAfter }, …] }
 */
export function previewPriority(
  t: Ticket,
  to: Priority,
  actor: Actor,
  now: Instant,
  engine: SlaEngine,
  rules?: TicketRules,
): Result<PriorityPreview> {
  const changed = apply(t, actor, { kind: 'change-priority', to, reason: 'preview' }, now, engine, rules);
  if (!changed.ok) return fail(changed.error);
  const before = slaOf(engine, t);
  const after = slaOf(engine, changed.value.ticket);
  return ok({
    from: t.priority,
    to,
    targets: [
      { name: 'response', before: before.response, after: after.response },
      { name: 'workaround', before: before.workaround, after: after.workaround },
    ].map((x) => ({
      name: x.name as TargetName,
      clock: x.after.basis.clock,
      dueBefore: x.before.due,
      dueAfter: x.after.due,
    })),
  });
}
