// Table Storage keys: user text can never produce a forbidden key character (/ \ # ? or controls).
// Pure helpers, shared by every adapter.

/** Percent-encodes everything but [A-Za-z0-9._-]; the result is safe in PartitionKey/RowKey. */
export function keyPart(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9._-]$/.test(ch)) out += ch;
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Inverse of keyPart. */
export function fromKeyPart(value: string): string {
  return decodeURIComponent(value);
}

/** A non-negative instant as 13 digits, so that string order is time order. */
export function timeKey(t: number): string {
  return Math.max(0, Math.min(9_999_999_999_999, Math.floor(t)))
    .toString()
    .padStart(13, '0');
}

/** 13 digits that sort newest first. */
export function newestFirstKey(t: number): string {
  return timeKey(9_999_999_999_999 - Math.max(0, Math.floor(t)));
}

/** Upper bound for a prefix query: every key starting with `prefix` is < prefixEnd(prefix). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** An OData string literal. */
export function odata(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;

/**
 * The row (in the customer's tenant partition) that says which ticket a bot message in their chat was about.
 * @example messageRowKey('a:1x', '1:42') // 'm|a%3A1x|1%3A42'
 */
export function messageRowKey(conversationId: string, activityId: string): string {
  return `m|${keyPart(conversationId).slice(0, 500)}|${keyPart(activityId).slice(0, 400)}`;
}
