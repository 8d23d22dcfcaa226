// File names made safe to store, list and offer for download: no path, no control or bidi characters, no
// reserved Windows names, at most NAME_MAX characters with the extension kept. Pure.

export const NAME_MAX = 150;

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Control characters, format characters (bidi overrides and isolates, zero-width marks), line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
// Characters Windows refuses in names, and quotes that would confuse a Content-Disposition header.
const UNSAFE = /[<>:"|?*\\/]/g;

/**
 * The name a file is stored and offered under.
 * @example cleanFileName('C:\\Users\\me\\evil\u202Egpj.exe') // 'evilgpj.exe'
 * @example cleanFileName('CON.txt') // '_CON.txt'
 */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  let name = last
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const dot = name.lastIndexOf('.');
  let base = dot > 0 ? name.slice(0, dot) : name;
  let ext = dot > 0 ? name.slice(dot) : '';
  if (ext.length > 20) {
    base = name;
    ext = '';
  }
  if (base === '') base = 'file';
  if (RESERVED.test(base.split('.')[0] ?? '')) base = `_${base}`;
  const room = NAME_MAX - ext.length;
  const points = Array.from(base); // code points: a cut never splits a surrogate pair
  if (points.length > room) base = points.slice(0, room).join('').trimEnd();
  name = `${base}${ext}`;
  return name;
}

/** The extension in lower case without the dot ('' when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * A size as people read it (1 KB = 1024 bytes, 1 MB = 1024 KB); `up` rounds up (a size over a limit never
 * reads as the limit itself).
 * @example formatSize(32_715_571) // '31.2 MB'
 */
export function formatSize(bytes: number, up = false): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const round = up ? Math.ceil : Math.round;
  if (bytes < 1024 * 1024) return `${Math.max(1, round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  const text = mb >= 100 ? String(round(mb)) : (round(mb * 10) / 10).toFixed(1);
  return `${text.replace(/\.0$/, '')} MB`;
}
