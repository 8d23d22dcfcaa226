// Expected failures of ticket commands: each has a stable code and a message a person can act on.
// They are returned (Result), not thrown through handlers.

export type ErrorCode =
  | 'TICKET_NOT_FOUND'
  | 'STALE_TICKET'
  | 'NOT_ALLOWED'
  | 'ILLEGAL_MOVE'
  | 'INVALID_INPUT'
  | 'DUPLICATE_ACTION'
  | 'RATE_LIMITED'
  | 'STORAGE_UNAVAILABLE'
  | 'OUTAGE_NOT_FOUND'
  | 'STALE_OUTAGE'
  | 'FILE_REFUSED'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_FILES'
  | 'ATTACHMENT_NOT_FOUND';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts for the caller (e.g. who changed the ticket first). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const ticketNotFound = (id: string): DomainError =>
  new DomainError('TICKET_NOT_FOUND', `No ticket ${id} was found.`, { id });
export const illegalMove = (message: string): DomainError => new DomainError('ILLEGAL_MOVE', message);
export const invalidInput = (message: string, field?: string): DomainError =>
  new DomainError('INVALID_INPUT', message, field === undefined ? {} : { field });
export const notAllowed = (message: string): DomainError => new DomainError('NOT_ALLOWED', message);

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DomainError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: DomainError): Result<T> => ({ ok: false, error });
