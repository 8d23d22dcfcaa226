// Short-lived download links, for Teams clients that cannot save a download made with the viewer's token (new
// Teams desktop, mobile): a viewer of the ticket asks for a link (checked like the download, 404 alike for
// another tenant's or a missing file); the link works for two minutes, without a token, for that one file.
import type restify from 'restify';
import type { Logger } from '../../../log';
import { addLogContext } from '../../../log';
import type { AttachmentService } from '../../../domain/attachments/service';
import type { Instant } from '../../../domain/sla';
import { recordRefusedLookup } from '../../../domain/tickets/refused';
import { normaliseId, type Scope, type TicketService } from '../../../domain/tickets/service';
import type { AuditLog } from '../../storage/audit';
import type { LinkKeys } from '../../storage/link-keys';
import type { FileLinkView } from '../contract-ticket';
import { keyPeriod, LINK_TTL_MS, signLink, verifyLink } from '../file-link-token';
import {
  ANYONE,
  notFound,
  ok,
  type ApiRequest,
  type ApiResponse,
  type Reply,
  type RouteSpec,
} from '../route';
import type { OpenStreamRouteSpec } from '../router';
import { attachmentProblem, sendFile } from './attachments';

export interface FileLinkDeps {
  readonly attachments: AttachmentService;
  readonly tickets: TicketService;
  readonly audit: AuditLog;
  readonly log: Logger;
  /** The domain clock (audit rows). */
  readonly now: () => Instant;
  /** Real time, for the links' expiry (default Date.now). */
  readonly wallClock?: (() => number) | undefined;
  readonly keys: LinkKeys;
  /** The app's public https origin (`https://<TAB_DOMAIN>`), when known: links are then absolute. */
  readonly origin?: string | undefined;
}

/** Where the links are answered: the rest of the path is the token (a wildcard: a `:param` holds 100 characters). */
export const FILE_LINK_PATH = '/api/files/*';

const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;
const FILE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** What a link that does not work answers, whatever the reason: it never says whether the file exists. */
export const LINK_DEAD =
  'This download link has expired or is not valid. Go back to the ticket in SLA Desk and choose Download again.';

function page(status: number, sentence: string, title: string): ApiResponse {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><p>${sentence}</p></body></html>`,
  };
}

const dead = (): ApiResponse => page(404, LINK_DEAD, 'Download link not valid');

const scopeOf = (p: ApiRequest['principal']): Scope =>
  p.role === 'customer' ? { kind: 'tenant', tenantId: p.tenantId } : { kind: 'staff' };

export function fileLinkRoutes(deps: FileLinkDeps): {
  readonly mint: RouteSpec;
  readonly open: OpenStreamRouteSpec;
} {
  const clock = deps.wallClock ?? Date.now;

  const mint = async ({ principal: p, params }: ApiRequest): Promise<Reply<FileLinkView>> => {
    const ticketId = normaliseId(params['id'] ?? '');
    const fileId = params['fileId'] ?? '';
    if (!TICKET_ID.test(ticketId) || !FILE_ID.test(fileId)) return notFound();
    const files = await deps.attachments.list(scopeOf(p), ticketId);
    if (!files.ok) {
      // Recorded exactly as a refused download is.
      if (files.error.code === 'TICKET_NOT_FOUND' && p.role === 'customer')
        await recordRefusedLookup(deps, p, 'api.attachment', ticketId);
      return attachmentProblem(files.error);
    }
    const file = files.value.find((a) => a.id === fileId);
    if (file === undefined) return notFound();
    const now = clock();
    const key = await deps.keys.key(keyPeriod(now), true);
    if (key === undefined) throw new Error('no signing key was made');
    const expiresAt = now + LINK_TTL_MS;
    const token = signLink(key, {
      keyId: keyPeriod(now),
      attachmentId: file.id,
      ticketId: file.ticketId,
      tenantId: file.tenantId,
      viewerId: p.userId,
      expiresAt,
    });
    return ok({
      url: `${deps.origin ?? ''}/api/files/${token}`,
      expiresAt: new Date(expiresAt).toISOString(),
    });
  };

  const open = async (
    req: restify.Request,
    res: restify.Response,
    refused: () => void,
  ): Promise<ApiResponse | undefined> => {
    const params = req.params as Record<string, unknown>;
    const token = typeof params['*'] === 'string' ? params['*'] : '';
    const claims = await verifyLink(token, (id) => deps.keys.key(id, false), clock());
    if (claims === undefined) {
      refused();
      return dead();
    }
    addLogContext({ tenant: claims.tenantId });
    // Checked again now: the file may have been deleted, or the ticket moved, since the link was made.
    const got = await deps.attachments.open(
      { kind: 'tenant', tenantId: claims.tenantId },
      claims.ticketId,
      claims.attachmentId,
    );
    if (!got.ok) {
      if (attachmentProblem(got.error).status === 404) return dead();
      return page(
        503,
        'SLA Desk could not get the file right now. Please try again in a minute.',
        'Try again',
      );
    }
    await sendFile(res, got.value);
    return undefined;
  };

  return {
    mint: { method: 'post', path: '/api/tickets/:id/attachments/:fileId/link', roles: ANYONE, handler: mint },
    open: { method: 'get', path: FILE_LINK_PATH, roles: 'public', handler: open },
  };
}
