// Who is support staff: a caller of the staff tenant whose Entra object id is configured (STAFF_ENGINEERS,
// STAFF_MANAGERS), or who is a member of a staff group (STAFF_ENGINEER_GROUP, STAFF_MANAGER_GROUP) as Microsoft
// Graph says. Callers of any other tenant are decided without any request. The role rule is pure (roleOf).
import type { Logger } from '../../log';
import { staffOf, type Caller, type Staff, type StaffSettings } from './caller';
import { messageOf } from '../kit/errors';

export type Role = Staff['role'];
export type StaffGroups = StaffSettings['groups'];

/** The user (or object) does not exist in the tenant: a definite "not a member". */
export class NotInDirectory extends Error {
  readonly code = 'NOT_IN_DIRECTORY';
  override readonly name = 'NotInDirectory';
}

/** A user of a group, as Graph names them. */
export interface GroupUser {
  readonly id: string;
  readonly name: string;
}

/** What the directory needs from Graph: which of these groups the object is in (see GraphClient). */
export interface GroupMembership {
  memberGroups(objectId: string, groupIds: readonly string[]): Promise<string[]>;
  /** Everyone in a group, to offer in pick lists (Reassign). */
  groupUsers(groupId: string): Promise<GroupUser[]>;
}

/** Someone who can be picked as a ticket's owner. */
export interface StaffMember {
  readonly id: string;
  readonly name: string;
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
  readonly config: { readonly staff: StaffSettings };
  /** Graph as the bot; undefined when there is no identity (local mode): then only configured ids are staff. */
  readonly graph: GroupMembership | undefined;
  readonly log: Logger;
  /** How long an answer (member or not) is kept; a change in a group takes effect within this (default 10 min). */
  readonly ttlMs?: number;
  /** At most this many users are remembered; the oldest answer goes first (default 5,000). */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; the real clock unless a test drives it. */
  readonly clock?: () => number;
  /** How often `start` re-reads the groups' members for pick lists (default 10 min). */
  readonly rosterEveryMs?: number;
}

/** At most this many people are offered in a pick list (a card must stay under Teams' size limit). */
export const MAX_ROSTER = 100;

/** An answer from Graph: a role, `null` for "not staff", or `failed` (not remembered). */
type Lookup = Role | null | 'failed';

export class StaffDirectory {
  private readonly cache = new Map<string, { readonly role: Role | null; readonly until: number }>();
  private readonly pending = new Map<string, Promise<Lookup>>();
  private readonly ids: string[];
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;
  /** The groups' users as last read, by name; and their names by id. */
  private members: readonly StaffMember[] = [];
  private memberNames: ReadonlyMap<string, string> = new Map();
  private memberRoles: ReadonlyMap<string, Role> = new Map();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

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

  /**
   * Who can be picked as an owner, now: the configured staff, then the groups' members by name (as last read;
   * at most MAX_ROSTER). Synchronous, for card builders.
   */
  roster(): readonly StaffMember[] {
    const { engineers, managers } = this.o.config.staff;
    const out = new Map<string, string>([...engineers, ...managers]);
    for (const m of this.members) {
      if (out.size >= MAX_ROSTER) break;
      if (!out.has(m.id)) out.set(m.id, m.name);
    }
    return [...out].slice(0, MAX_ROSTER).map(([id, name]) => ({ id, name }));
  }

  /** The roster with each person's role as `resolve` gives it (configured ids, then groups), for the tab. */
  people(): readonly (StaffMember & { readonly role: Role })[] {
    const { engineers, managers } = this.o.config.staff;
    const roleOfId = (id: string): Role =>
      managers.has(id)
        ? 'manager'
        : engineers.has(id)
          ? 'engineer'
          : (this.memberRoles.get(id) ?? 'engineer');
    return this.roster().map((m) => ({ ...m, role: roleOfId(m.id) }));
  }

  /** The name of a configured staff member or of a group member (as last read), by object id. */
  nameOf(id: string): string | undefined {
    const key = id.toLowerCase();
    const { engineers, managers } = this.o.config.staff;
    return engineers.get(key) ?? managers.get(key) ?? this.memberNames.get(key);
  }

  /** Reads the groups' members now (one read at a time); on failure the last list stays and a warning is logged. */
  refreshRoster(): Promise<void> {
    const graph = this.o.graph;
    if (graph === undefined || this.ids.length === 0) return Promise.resolve();
    this.reading ??= (async () => {
      try {
        const lists = await Promise.all(this.ids.map((g) => graph.groupUsers(g)));
        const byId = new Map<string, string>();
        const roles = new Map<string, Role>();
        lists.forEach((list, i) => {
          const role = this.ids[i] === this.o.config.staff.groups.manager ? 'manager' : 'engineer';
          for (const u of list) {
            byId.set(u.id, u.name);
            if (roles.get(u.id) !== 'manager') roles.set(u.id, role);
          }
        });
        this.members = [...byId]
          .map(([id, name]) => ({ id, name }))
          .sort((a, b) => a.name.localeCompare(b.name, 'en'));
        this.memberNames = byId;
        this.memberRoles = roles;
      } catch (err) {
        this.o.log.warn('reading the staff groups failed; the pick lists keep the last members read', {
          error: messageOf(err),
        });
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** Reads the groups now and then every `rosterEveryMs` until `stop`. */
  start(): void {
    if (!this.usesGroups || this.timer !== undefined) return;
    void this.refreshRoster();
    this.timer = setInterval(() => void this.refreshRoster(), this.o.rosterEveryMs ?? 10 * 60_000);
    this.timer.unref();
  }

  /** Stops re-reading and waits for a read in progress. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
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
          error: messageOf(err),
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
