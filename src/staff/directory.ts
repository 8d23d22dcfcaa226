// Who is support staff: a caller of the staff tenant whose Entra object id is configured (STAFF_ENGINEERS,
// STAFF_MANAGERS), or who is a member of a staff group (STAFF_ENGINEER_GROUP, STAFF_MANAGER_GROUP) as Microsoft
// Graph says. Callers of any other tenant are decided without any request. The role rule is pure (roleOf).
import type { Config } from '../config';
import type { Logger } from '../log';
import { staffOf, type Staff } from '../bot/deps';
import type { Caller } from '../bot/teams';
import { NotInDirectory } from './graph';

export type Role = Staff['role'];
export type StaffGroups = Config['staff']['groups'];

/** What the directory needs from Graph: which of these groups the object is in (see GraphClient). */
export interface GroupMembership {
  memberGroups(objectId: string, groupIds: readonly string[]): Promise<string[]>;
}

/**
 * The role that membership gives: manager before engineer.
 * @example roleOf(['g-eng'], { engineer: 'g-eng', manager: 'g-mgr' }) // 'engineer'
 */
export function roleOf(memberOf: readonly string[], groups: StaffGroups): Role | undefined {
  const ids = new Set(memberOf.map((g) => g.toLowerCase()));
  if (groups.manager !== undefined && ids.has(groups.manager)) return 'manager';
  if (groups.engineer !== undefined && ids.has(groups.engineer)) return 'engineer';
  return undefined;
}

/** The staff groups to ask about (none when no group is configured). */
export function groupIds(groups: StaffGroups): string[] {
  return [...new Set([groups.manager, groups.engineer].filter((g): g is string => g !== undefined))];
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface StaffDirectoryOptions {
  readonly config: Pick<Config, 'staff'>;
  /** Graph as the bot; undefined when there is no identity (local mode): then only configured ids are staff. */
  readonly graph: GroupMembership | undefined;
  readonly log: Logger;
  /** How long an answer (member or not) is kept; a change in a group takes effect within this (default 10 min). */
  readonly ttlMs?: number;
  /** At most this many users are remembered; the oldest answer goes first (default 5,000). */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; the real clock unless a test drives it. */
  readonly clock?: () => number;
}

/** An answer from Graph: a role, `null` for "not staff", or `failed` (not remembered). */
type Lookup = Role | null | 'failed';

export class StaffDirectory {
  private readonly cache = new Map<string, { readonly role: Role | null; readonly until: number }>();
  private readonly pending = new Map<string, Promise<Lookup>>();
  private readonly ids: string[];
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(private readonly o: StaffDirectoryOptions) {
    this.ids = groupIds(o.config.staff.groups);
    this.ttlMs = o.ttlMs ?? 10 * 60_000;
    this.maxEntries = o.maxEntries ?? 5000;
    this.clock = o.clock ?? Date.now;
  }

  /** True when group membership is looked up (groups configured and an identity to ask Graph with). */
  get usesGroups(): boolean {
    return this.ids.length > 0 && this.o.graph !== undefined;
  }

  /**
   * The caller as support staff, or undefined. Configured ids win; then group membership (the caller's Teams
   * display name is shown). A Graph failure means "not staff" for this call only and is logged.
   */
  async resolve(caller: Caller | undefined): Promise<Staff | undefined> {
    const configured = staffOf(caller, this.o.config);
    if (configured !== undefined || caller === undefined || !this.usesGroups) return configured;
    if (caller.tenantId !== this.o.config.staff.tenantId) return undefined;
    const id = (caller.aadObjectId ?? '').toLowerCase();
    if (!OBJECT_ID.test(id)) return undefined;
    const role = await this.roleOfUser(id);
    return role === undefined ? undefined : { caller, role, name: caller.name };
  }

  private async roleOfUser(id: string): Promise<Role | undefined> {
    const now = this.clock();
    const known = this.cache.get(id);
    if (known !== undefined && known.until > now) return known.role ?? undefined;
    let lookup = this.pending.get(id);
    if (lookup === undefined) {
      lookup = this.lookUp(id).finally(() => this.pending.delete(id));
      this.pending.set(id, lookup);
    }
    const answer = await lookup;
    return answer === 'failed' || answer === null ? undefined : answer;
  }

  private async lookUp(id: string): Promise<Lookup> {
    const graph = this.o.graph;
    if (graph === undefined) return null;
    let role: Role | null;
    try {
      role = roleOf(await graph.memberGroups(id, this.ids), this.o.config.staff.groups) ?? null;
    } catch (err) {
      if (!(err instanceof NotInDirectory)) {
        this.o.log.warn('staff group check failed; treated as not staff for this request', {
          user: id,
          error: err instanceof Error ? err.message : String(err),
        });
        return 'failed';
      }
      role = null;
    }
    this.remember(id, role);
    return role;
  }

  private remember(id: string, role: Role | null): void {
    this.cache.delete(id);
    while (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    this.cache.set(id, { role, until: this.clock() + this.ttlMs });
  }
}
