// IANA time zone names ("America/New_York", "UTC", "Etc/GMT+5"), never offsets ("-05:00"). Node 22's ICU
// accepts offsets as zones, so luxon's own check alone would let them through on one runtime and not another.
import { IANAZone } from 'luxon';

/** A name of the IANA shape: a letter first, `/`-separated parts, no leading sign or colon. */
const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Whether `zone` is an IANA time zone name this runtime knows.
 * @example isZoneName('America/New_York') // true
 * @example isZoneName('-05:00') // false, on every Node version
 */
export function isZoneName(zone: string): boolean {
  return NAME.test(zone) && IANAZone.isValidZone(zone);
}
