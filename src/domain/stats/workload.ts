// Who carries the open work: per staff member the open tickets they own and, of them, how many are at
// risk, breached or waiting on the customer; unowned tickets as "Unassigned". Pure.
import type { Person, Ticket } from '../tickets/model';

/** An open ticket's state as the queue shows it (its worst unmet target's). */
export type OpenState = 'breached' | 'at-risk' | 'paused' | 'on-track' | 'met' | 'resolved' | 'closed';

export interface WorkloadRow {
  /** Null: the tickets nobody owns. */
  readonly owner: Person | null;
  readonly open: number;
  readonly atRisk: number;
  readonly breached: number;
  readonly paused: number;
}

/**
 * One row per staff member (with zeros when they own nothing), per other owner found on a ticket, then
 * Unassigned. Each open ticket counts once, under its state as the queue shows it.
 * @example workload([{ ticket: t1, state: 'breached' }], [eddie])
 *   // [{ owner: eddie, open: 1, atRisk: 0, breached: 1, paused: 0 }, { owner: null, open: 0, … }]
 */
export function workload(
  open: readonly { readonly ticket: Ticket; readonly state: OpenState }[],
  staff: readonly Person[],
): WorkloadRow[] {
  const rows = new Map<
    string,
    { owner: Person | null; open: number; atRisk: number; breached: number; paused: number }
  >();
  const row = (owner: Person | null) => {
    const key = owner?.id ?? '';
    let r = rows.get(key);
    if (r === undefined) {
      r = {
        owner: owner === null ? null : { id: owner.id, name: owner.name },
        open: 0,
        atRisk: 0,
        breached: 0,
        paused: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const p of staff) row(p);
  for (const { ticket, state } of open) {
    const r = row(ticket.owner ?? null);
    r.open++;
    if (state === 'at-risk') r.atRisk++;
    else if (state === 'breached') r.breached++;
    else if (state === 'paused') r.paused++;
  }
  row(null);
  return [...rows.values()].sort(
    (a, b) =>
      (a.owner === null ? 1 : 0) - (b.owner === null ? 1 : 0) ||
      (a.owner?.name ?? '').localeCompare(b.owner?.name ?? ''),
  );
}
