// Local mode's staff and on-call rotation for `npm start` when none are configured. Pure.

/** Staff for the tab's local sign-in when none are configured (a tenant no real user is in). */
export const LOCAL_STAFF = {
  STAFF_TENANT_ID: '00000000-0000-4000-8000-00000000057a',
  STAFF_MANAGERS: '00000000-0000-4000-8000-0000000000a1=Local Manager',
  STAFF_ENGINEERS:
    '00000000-0000-4000-8000-0000000000e1=Local Engineer;00000000-0000-4000-8000-0000000000e2=Local Backup Engineer',
} as const;

/**
 * A weekly on-call rotation of the configured engineers (the first primary, the second, else the first manager,
 * secondary), so that the P1 paging chain can be watched locally with no configuration. Undefined without staff.
 * @example localRotation({ STAFF_ENGINEERS: 'e1=A;e2=B' }) // '{"start":"2026-01-05","handover":"09:00","weeks":[{"primary":"e1","secondary":"e2"}]}'
 */
export function localRotation(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const ids = (key: string): string[] =>
    (env[key] ?? '')
      .split(';')
      .map((pair) => pair.split('=')[0]?.trim() ?? '')
      .filter((id) => id !== '');
  const engineers = ids('STAFF_ENGINEERS');
  const primary = engineers[0];
  if (primary === undefined) return undefined;
  const secondary = engineers[1] ?? ids('STAFF_MANAGERS')[0] ?? primary;
  return JSON.stringify({ start: '2026-01-05', handover: '09:00', weeks: [{ primary, secondary }] });
}
