// The printable report pages' own Content-Security-Policy: nothing loads, nothing runs, only the page's own
// <style> elements apply (by hash), no form goes anywhere and nobody frames the URL. Sent as a header with the
// page, and as a <meta> in it so that the copy the tab prints from (an iframe's srcdoc) is held to the same rules.
import { createHash } from 'node:crypto';

const STYLE = /<style>([\s\S]*?)<\/style>/g;

/** The policy for a page: default-src 'none', its inline styles by SHA-256, no base, no forms (and framing). */
export function pageCsp(html: string, framing = true): string {
  const hashes = [...html.matchAll(STYLE)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '', 'utf8')
        .digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${hashes.length === 0 ? "'none'" : hashes.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    // A <meta> policy may not carry frame-ancestors (browsers ignore it there, with a warning).
    ...(framing ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/** The page with its policy as a <meta> first in its head. */
export function withCspMeta(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${pageCsp(html, false)}">`;
  return html.replace(/<head>/i, `<head>${meta}`);
}
