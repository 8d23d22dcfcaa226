// What a failed Table Storage request answered: its HTTP status and the service's error code, read the same
// way by every storage adapter.
import { RestError } from '@azure/data-tables';

/**
 * The status Table Storage answered with (404, 409, 412…), or undefined for any other failure.
 * @example storageStatus(new RestError('gone', { statusCode: 404 })) // 404
 */
export function storageStatus(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : undefined;
}

/** The service's error code (x-ms-error-code, e.g. `TableAlreadyExists`), which the SDK keeps in `details`. */
export function storageErrorCode(err: unknown): string | undefined {
  if (!(err instanceof RestError)) return undefined;
  const details = err.details;
  if (typeof details !== 'object' || details === null || !('errorCode' in details)) return undefined;
  return typeof details.errorCode === 'string' ? details.errorCode : undefined;
}

/**
 * Whether a conditional write lost a race: the row changed since it was read (412), was removed (404), or
 * another writer created it first (409).
 */
export function lostRace(err: unknown): boolean {
  const status = storageStatus(err);
  return status === 412 || status === 404 || status === 409;
}
