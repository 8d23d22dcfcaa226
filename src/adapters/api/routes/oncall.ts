// On call: this week and the three after it by the rotation, and the overrides standing in over them.
import { DateTime } from 'luxon';
import type { Config } from '../../../config';
import { onCallAt } from '../../../domain/oncall/roster';
import type { Policy } from '../../../domain/policy/schema';
import type { Instant } from '../../../domain/sla';
import type { OverrideSource } from '../ports';
import { ok, route, STAFF } from '../route';
import type { RouteSpec } from '../route';

export interface OnCallRouteDeps {
  readonly rotation: Config['rotation'];
  /** Staff names by Entra object id. */
  readonly names: ReadonlyMap<string, string>;
  readonly zone: string;
  readonly overrides: OverrideSource;
  readonly now: () => Instant;
  /** The policy's paging chain and the priorities it pages for. */
  readonly escalation: Pick<Policy['escalation'], 'chain' | 'pagePriorities'>;
  /** The support manager paged last (config.oncall.manager), if any. */
  readonly manager: string | undefined;
}

export function onCallRoutes(deps: OnCallRouteDeps): RouteSpec[] {
  const { rotation, zone } = deps;
  const person = (id: string) => ({ id, name: deps.names.get(id) ?? id });
  const chain = {
    chain: deps.escalation.chain.map((s) => ({ role: s.role, afterMinutes: s.afterMinutes })),
    pagePriorities: [...deps.escalation.pagePriorities],
    manager: deps.manager === undefined ? null : person(deps.manager),
  };
  return [
    route(STAFF, {
      route: 'GET /api/oncall',
      handle: async () => {
        const now = deps.now();
        if (rotation === undefined) return ok({ now, configured: false, weeks: [], overrides: [], ...chain });
        const [hour, minute] = rotation.handover.split(':').map(Number);
        const first = DateTime.fromISO(rotation.start, { zone }).set({
          hour: hour ?? 9,
          minute: minute ?? 0,
        });
        const index = Math.floor(DateTime.fromMillis(now, { zone }).diff(first, 'weeks').weeks);
        const weeks = [0, 1, 2, 3].map((k) => {
          const start = first.plus({ weeks: index + k }).toMillis();
          const pair = onCallAt(rotation, start, zone);
          return {
            start,
            end: first.plus({ weeks: index + k + 1 }).toMillis(),
            primary: person(pair.primary),
            secondary: pair.secondary === undefined ? null : person(pair.secondary),
          };
        });
        const from = weeks[0]?.start ?? now;
        const to = weeks[weeks.length - 1]?.end ?? now;
        const overrides = await deps.overrides.overlapping(from, to);
        return ok({
          now,
          configured: true,
          handover: rotation.handover,
          weeks,
          overrides: overrides.map((o) => ({ ...o, person: person(o.userId) })),
          ...chain,
        });
      },
    }),
  ];
}
