// Files a customer sends in the 1:1 chat: read from the activity (Teams' file download info and pasted images;
// the rich-text copy Teams adds is ignored) and downloaded only from the allowed hosts, over https, within a
// time limit and a size limit checked while streaming. A URL that breaks a rule is refused with no request.
import type { Activity } from 'botbuilder';
import { LOOPBACK_HOST } from '../../config-env';
import { messageOf } from '../../domain/kit/errors';

/** Teams' attachment for a file sent in a 1:1 chat (stored in the sender's OneDrive, fetched without a token). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** A file a message carries: a sent file (pre-authorised URL) or a pasted image (fetched with the bot's token). */
export interface ChatFile {
  readonly kind: 'file' | 'image';
  /** As Teams names it; a pasted image gets `pasted-image-<n>.<type>`. */
  readonly name: string;
  readonly url: string;
}

/** The most redirects one download follows (each to an allowed host, checked again). */
const MAX_REDIRECTS = 3;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
  // Teams sends pasted screenshots as image/*; they are PNG.
  'image/*': 'png',
};

/**
 * The files a message carries, in order: Teams' file download info attachments and pasted images. Cards,
 * the text/html copy of a rich message and anything else are not files.
 * @example chatFilesOf({ attachments: [{ contentType: 'image/png', contentUrl: 'https://…/views/original' }] })
 * // [{ kind: 'image', name: 'pasted-image-1.png', url: 'https://…/views/original' }]
 */
export function chatFilesOf(activity: Partial<Activity>): ChatFile[] {
  const out: ChatFile[] = [];
  let images = 0;
  for (const a of activity.attachments ?? []) {
    const type = typeof a.contentType === 'string' ? a.contentType.toLowerCase() : '';
    if (type === FILE_DOWNLOAD_INFO) {
      const content = (typeof a.content === 'object' && a.content !== null ? a.content : {}) as Record<
        string,
        unknown
      >;
      const url = str(content['downloadUrl']);
      const fileType = str(content['fileType']);
      const name = str(a.name) ?? `file${fileType === undefined ? '' : `.${fileType}`}`;
      if (url !== undefined) out.push({ kind: 'file', name: name.slice(0, 300), url });
    } else if (type.startsWith('image/')) {
      const url = str(a.contentUrl);
      if (url === undefined) continue;
      images++;
      out.push({
        kind: 'image',
        name: str(a.name)?.slice(0, 300) ?? `pasted-image-${images}.${IMAGE_TYPES[type] ?? 'png'}`,
        url,
      });
    }
  }
  return out;
}

/** True when `host` is one of `patterns`: an exact name, or `*.suffix` for any host under suffix. */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) =>
    p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p,
  );
}

/**
 * Why the app will not request `url`, or undefined when it may: the host must be allowed, the scheme https
 * (http only on a loopback host, for tests), no user name or password, and the default port (any port on
 * loopback).
 */
export function refusalOf(url: string, hosts: readonly string[]): string | undefined {
  if (!URL.canParse(url)) return 'not a valid URL';
  const u = new URL(url);
  const loopback = LOOPBACK_HOST.test(u.hostname);
  if (u.protocol !== 'https:' && !(loopback && u.protocol === 'http:')) return 'not an https address';
  if (u.username !== '' || u.password !== '') return 'the address carries a user name or password';
  if (u.port !== '' && !loopback) return 'the address names a port';
  if (!hostMatches(u.hostname, hosts)) return `${u.hostname.slice(0, 100)} is not a Teams or SharePoint host`;
  return undefined;
}

/** Why a download gave no file. refused: no request made; too-large: stopped at the limit; failed: the host or the network. */
export type FetchFailure = {
  readonly reason: 'refused' | 'too-large' | 'failed';
  /** For the log (never shown to the customer as is). */
  readonly detail: string;
};

/** A download under way: its body streams (counted; past the limit or the time limit it stops with an error). */
export interface Download {
  readonly ok: true;
  readonly body: AsyncIterable<Uint8Array>;
  /** As the host declared them. */
  readonly contentType: string | undefined;
  readonly declaredSize: number | undefined;
  /** Why the body stopped early, once it has (undefined while it streams or when it ended complete). */
  failure(): FetchFailure | undefined;
  /** Ends the download (its time limit, an unread body). */
  close(): void;
}

export type Opened = Download | ({ readonly ok: false } & FetchFailure);

export interface FetcherOptions {
  /** ATTACHMENT_HOSTS. */
  readonly hosts: readonly string[];
  /** Hosts the bot's token may be sent to: the Teams service hosts (TEAMS_SERVICE_HOSTS), never SharePoint. */
  readonly tokenHosts: readonly string[];
  readonly timeoutMs: number;
  /** The bot's Bot Framework token; undefined in local mode. */
  readonly token: () => Promise<string | undefined>;
}

/** Downloads chat files under the rules of `refusalOf`, a time limit, and a size limit checked while streaming. */
export class FileFetcher {
  constructor(private readonly o: FetcherOptions) {}

  /** Why `file` will not be fetched (checked before any request), or undefined. */
  refusal(file: ChatFile): string | undefined {
    return refusalOf(file.url, this.o.hosts);
  }

  /**
   * Starts downloading `file`: its headers are read, and its body streams to whoever reads it, stopped past
   * `maxBytes` or when the time limit (headers and body together) runs out. Call `close()` when done.
   */
  async open(file: ChatFile, maxBytes: number): Promise<Opened> {
    const refused = this.refusal(file);
    if (refused !== undefined) return { ok: false, reason: 'refused', detail: refused };
    const abort = new AbortController();
    const timer = setTimeout(() => {
      abort.abort(new Error(`no complete answer within ${this.o.timeoutMs} ms`));
    }, this.o.timeoutMs);
    const close = (): void => {
      clearTimeout(timer);
      if (!abort.signal.aborted) abort.abort(new Error('closed'));
    };
    try {
      const answer = await this.follow(file, abort.signal);
      if (!answer.ok) {
        close();
        return answer;
      }
      const response = answer.response;
      const length = Number(response.headers.get('content-length') ?? NaN);
      const declaredSize = Number.isFinite(length) && length >= 0 ? length : undefined;
      if (declaredSize !== undefined && declaredSize > maxBytes) {
        close();
        return { ok: false, reason: 'too-large', detail: `declared ${declaredSize} bytes` };
      }
      let failure: FetchFailure | undefined;
      const signal = abort.signal;
      async function* body(): AsyncGenerator<Uint8Array> {
        if (response.body === null) return;
        const reader = response.body.getReader();
        let size = 0;
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            size += value.byteLength;
            if (size > maxBytes) {
              failure = { reason: 'too-large', detail: `more than ${maxBytes} bytes` };
              throw new Error(failure.detail);
            }
            // As a Buffer (a view, no copy): the Blob SDK's upload buffers only take Buffers.
            yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
          }
        } catch (err) {
          failure ??= {
            reason: 'failed',
            detail: signal.aborted ? messageOf(signal.reason) : messageOf(err),
          };
          throw err;
        } finally {
          await reader.cancel().catch(() => undefined);
        }
      }
      return {
        ok: true,
        body: body(),
        contentType: response.headers.get('content-type') ?? undefined,
        declaredSize,
        failure: () => failure,
        close,
      };
    } catch (err) {
      const detail = abort.signal.aborted ? messageOf(abort.signal.reason) : messageOf(err);
      close();
      return { ok: false, reason: 'failed', detail };
    }
  }

  /** The answer to `file`'s URL, following at most MAX_REDIRECTS redirects, each to an allowed address. */
  private async follow(
    file: ChatFile,
    signal: AbortSignal,
  ): Promise<{ ok: true; response: Response } | ({ ok: false } & FetchFailure)> {
    let url = file.url;
    for (let hop = 0; ; hop++) {
      const host = new URL(url).hostname;
      // Only a pasted image needs the token, and only a Teams service host is given it.
      const token =
        file.kind === 'image' && hostMatches(host, this.o.tokenHosts) ? await this.o.token() : undefined;
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (location === null || hop >= MAX_REDIRECTS)
          return { ok: false, reason: 'failed', detail: `redirect ${response.status} not followed` };
        const next = URL.canParse(location, url) ? new URL(location, url).toString() : location;
        const refused = refusalOf(next, this.o.hosts);
        if (refused !== undefined)
          return { ok: false, reason: 'refused', detail: `redirected to a refused address: ${refused}` };
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, reason: 'failed', detail: `the host answered ${response.status}` };
      }
      return { ok: true, response };
    }
  }
}

/** A pasted image's name with the extension of the type the host sent (Teams names none; `image/*` may be JPEG). */
export function imageName(file: ChatFile, contentType: string | undefined): string {
  if (file.kind !== 'image' || !/^pasted-image-\d+\.[a-z]+$/.test(file.name)) return file.name;
  const ext = IMAGE_TYPES[(contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
  return ext === undefined ? file.name : file.name.replace(/\.[a-z]+$/, `.${ext}`);
}
