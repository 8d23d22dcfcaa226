// Request addresses as logs and traces keep them: a download link's token is cut out, since for its two minutes
// it opens the file to anyone who has it (docs/security.md). No business rules here.

/** What a link's token reads as in logs and traces. */
export const REDACTED = '[redacted]';

const FILE_LINK = /^\/api\/files\/[^?#]*/i;

/**
 * The path with a download link's token replaced.
 * @example loggedPath('/api/files/eyJ2Ijox.c2ln') // '/api/files/[redacted]'
 */
export function loggedPath(path: string): string {
  return path.replace(FILE_LINK, `/api/files/${REDACTED}`);
}

/**
 * The address attributes of an incoming request's trace span, redacted, for a request whose path holds a token
 * (the http instrumentation's startIncomingSpanHook: these override the ones it reads from the request);
 * nothing for any other request.
 */
export function redactedSpanAttributes(req: {
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}): Record<string, string> {
  const url = req.url ?? '';
  const path = loggedPath(url);
  if (path === url) return {};
  const host = typeof req.headers['host'] === 'string' ? req.headers['host'] : 'localhost';
  return { 'url.path': path, 'http.target': path, 'http.url': `http://${host}${path}` };
}
