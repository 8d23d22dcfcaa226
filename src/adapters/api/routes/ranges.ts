// HTTP conditionals of a file download: its entity tag (the bytes' SHA-256, so a file's tag never changes),
// If-None-Match, and one byte range (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`. Several ranges or a
// malformed header are ignored (the whole file is sent), as the RFC allows.

import type { ByteSpan } from '../../../domain/attachments/ports';

/** The first and last byte to send, inclusive. */
export type ByteRange = ByteSpan;

/** The file's strong entity tag, or undefined when its hash is not known. */
export function entityTag(sha256: string): string | undefined {
  return /^[0-9a-f]{64}$/.test(sha256) ? `"${sha256}"` : undefined;
}

/** Whether If-None-Match names the tag (weak comparison; `*` matches any file that exists). */
export function noneMatch(header: string | undefined, tag: string | undefined): boolean {
  if (header === undefined || tag === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

/**
 * The range asked for, resolved against the file's size: undefined to send the whole file, 'unsatisfiable' for
 * a 416. With If-Range, the range holds only while the tag is the file's (else the whole file).
 */
export function byteRange(
  header: string | undefined,
  size: number,
  ifRange?: string,
  tag?: string,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  if (ifRange !== undefined && (tag === undefined || ifRange.trim() !== tag)) return undefined;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (m === null) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(b === '' ? size - 1 : Number(b), size - 1) };
}
