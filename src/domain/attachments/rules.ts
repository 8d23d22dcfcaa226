// What a file must be to be stored: an accepted type, within the size limit, on a ticket with room for it.
// Each refusal says why in a plain sentence. Pure.
import { DomainError } from '../tickets/errors';
import type { AttachmentLimits } from './model';
import { cleanFileName, extensionOf, formatSize } from './names';
import { ACCEPTED_WORDS, storedType } from './types';

/** A file that passed the checks that need no bytes: its cleaned name and the type it is stored as. */
export interface CheckedFile {
  readonly name: string;
  readonly contentType: string;
}

export const fileRefused = (name: string): DomainError =>
  new DomainError('FILE_REFUSED', `${name} is not a file type SLA Desk accepts (${ACCEPTED_WORDS}).`, {
    name,
  });

/** Too large: with its size when known (declared, or counted), else only that it passed the limit. */
export const fileTooLarge = (name: string, maxBytes: number, size?: number): DomainError =>
  new DomainError(
    'FILE_TOO_LARGE',
    size === undefined
      ? `${name} is larger than ${formatSize(maxBytes)}, the limit.`
      : `${name} is ${formatSize(size, true)}; the limit is ${formatSize(maxBytes)}.`,
    { name, maxBytes, ...(size === undefined ? {} : { size }) },
  );

export const tooManyFiles = (ticketId: string, max: number): DomainError =>
  new DomainError('TOO_MANY_FILES', `${ticketId} already has ${max} files, the limit.`, {
    ticketId,
    max,
  });

/**
 * Checks a file before any byte is stored: its name, its type (extension and declared type) and its declared
 * size when the sender gave one (the bytes are counted again while they stream).
 * @example checkFile('screenshot.exe', 'application/x-msdownload', 1200, DEFAULT_ATTACHMENT_LIMITS)
 *   // fail FILE_REFUSED: 'screenshot.exe is not a file type SLA Desk accepts (images, PDF, …).'
 */
export function checkFile(
  rawName: string,
  declaredType: string | undefined,
  declaredSize: number | undefined,
  limits: AttachmentLimits,
): { ok: true; value: CheckedFile } | { ok: false; error: DomainError } {
  const name = cleanFileName(rawName);
  const contentType = storedType(extensionOf(name), declaredType);
  if (contentType === undefined) return { ok: false, error: fileRefused(name) };
  if (declaredSize !== undefined && (!Number.isFinite(declaredSize) || declaredSize < 0))
    return {
      ok: false,
      error: new DomainError('INVALID_INPUT', `The size given for ${name} is not valid.`, { field: 'size' }),
    };
  if (declaredSize !== undefined && declaredSize > limits.maxBytes)
    return { ok: false, error: fileTooLarge(name, limits.maxBytes, declaredSize) };
  return { ok: true, value: { name, contentType } };
}

/** The words a timeline shows for a file: "screenshot.png (312 KB)". */
export function fileWords(file: { readonly name: string; readonly size: number }): string {
  return `${file.name} (${formatSize(file.size)})`;
}
