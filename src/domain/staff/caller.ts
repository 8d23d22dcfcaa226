// Who is calling (from Teams or the tab), and the rule that makes a caller support staff by configured id.

export interface Caller {
  /** Lower-case Entra tenant id. */
  readonly tenantId: string;
  /** The Teams user id in this conversation (29:…). */
  readonly userId: string;
  /** Entra object id, when Teams sent it. */
  readonly aadObjectId: string | undefined;
  readonly name: string;
  readonly zone: string | undefined;
  readonly conversationId: string;
  readonly conversationType: string;
  readonly serviceUrl: string;
}

/** Who is staff (STAFF_* settings): the staff tenant, configured ids by role (id -> name), and Entra groups. */
export interface StaffSettings {
  readonly tenantId: string | undefined;
  readonly engineers: ReadonlyMap<string, string>;
  readonly managers: ReadonlyMap<string, string>;
  /** Entra groups whose members are staff (lower-case object ids), checked through Microsoft Graph. */
  readonly groups: { readonly engineer: string | undefined; readonly manager: string | undefined };
}

export interface Staff {
  readonly caller: Caller;
  readonly role: 'engineer' | 'manager';
  readonly name: string;
}

/** The caller as support staff: the staff tenant and a configured engineer or manager id. */
export function staffOf(
  caller: Caller | undefined,
  config: { readonly staff: StaffSettings },
): Staff | undefined {
  const tenant = config.staff.tenantId;
  if (caller === undefined || tenant === undefined || caller.tenantId !== tenant) return undefined;
  const id = (caller.aadObjectId ?? '').toLowerCase();
  const manager = config.staff.managers.get(id);
  if (manager !== undefined) return { caller, role: 'manager', name: manager };
  const engineer = config.staff.engineers.get(id);
  if (engineer !== undefined) return { caller, role: 'engineer', name: engineer };
  return undefined;
}
