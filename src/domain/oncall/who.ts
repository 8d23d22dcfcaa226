// Who holds an on-call role at an instant (rotation, overrides and the support manager together), by name.
// Used by the watcher's pages and by the customer's confirmation, so both tell the same truth.
import type { StaffSettings } from '../staff/caller';
import type { Rotation } from './roster';
import type { Instant } from '../sla';
import type { OverrideStore } from './overrides';
import { onCallWith } from './schedule';

export type ChainRole = 'primary' | 'secondary' | 'manager';

export interface OnCallPerson {
  readonly id: string;
  readonly name: string;
}

/** Who is on call (ONCALL_* and STAFF_* settings). */
export interface OnCallSettings {
  readonly rotation: Rotation | undefined;
  readonly oncall: {
    /** The support manager paged last (lower-case object id), if any manager is configured. */
    readonly manager: string | undefined;
    /** Staff ids @mentioned when a P1 arrives inside support hours. */
    readonly responders: readonly string[];
  };
  readonly staff: Pick<StaffSettings, 'engineers' | 'managers'>;
}

export class OnCallLookup {
  constructor(
    private readonly config: OnCallSettings,
    private readonly overrides: OverrideStore,
    private readonly zone: string,
  ) {}

  /** A staff member's configured name (the id when unknown). */
  name(id: string): string {
    const staff = this.config.staff;
    return staff.engineers.get(id) ?? staff.managers.get(id) ?? id;
  }

  /** Who holds `role` at `now`; undefined when the slot is empty (no rotation, no override, no manager). */
  async who(role: ChainRole, now: Instant): Promise<OnCallPerson | undefined> {
    if (role === 'manager') {
      const id = this.config.oncall.manager;
      return id === undefined ? undefined : { id, name: this.name(id) };
    }
    const overrides = await this.overrides.list(now);
    const duty = onCallWith(this.config.rotation, overrides, now, this.zone)[role];
    return duty === undefined ? undefined : { id: duty.id, name: this.name(duty.id) };
  }

  /** The support managers to alarm when nobody could be paged, with the P1 responders (no one twice). */
  alarmed(): OnCallPerson[] {
    const ids = [...this.config.staff.managers.keys(), ...this.config.oncall.responders];
    return [...new Set(ids)].map((id) => ({ id, name: this.name(id) }));
  }
}
