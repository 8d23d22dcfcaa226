// The HTTP status of a failed Table Storage request, the one helper every storage adapter uses.
import { RestError } from '@azure/data-tables';

/**
 * The status Table Storage answered with (404, 409, 412…), or undefined for any other failure.
 * @example storageStatus(new RestError('gone', { statusCode: 404 })) // 404
 */
export function storageStatus(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : undefined;
}
