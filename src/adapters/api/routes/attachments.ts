// Files on tickets over the tab API: download (any viewer of the ticket; another tenant's file answers like a
// missing one, and is audited), upload by staff (a raw application/octet-stream body, its size counted while it
// streams), delete by a manager with a reason. The bytes stream through; nothing is buffered whole, and a client
// that goes away stops the blob's read. Downloads answer HEAD, If-None-Match (304) and one byte range (206).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type restify from 'restify';
import { z } from 'zod';
import type { Logger } from '../../../log';
import type { Attachment } from '../../../domain/attachments/model';
import type { AttachmentService, OpenedFile } from '../../../domain/attachments/service';
import type { Instant } from '../../../domain/sla';
import type { DomainError } from '../../../domain/tickets/errors';
import type { Actor } from '../../../domain/tickets/model';
import { recordRefusedLookup } from '../../../domain/tickets/refused';
import { normaliseId, type Scope, type TicketService } from '../../../domain/tickets/service';
import type { AuditLog } from '../../storage/audit';
import type { Principal } from '../auth';
import type { AttachmentView } from '../contract';
import { badRequest, notFound, problem, type ApiResponse, type Problem } from '../route';
import { byteRange, entityTag, noneMatch } from './ranges';
import type { StreamRouteSpec } from '../router';

export interface AttachmentRouteDeps {
  readonly attachments: AttachmentService;
  readonly tickets: TicketService;
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly now: () => Instant;
}

const TICKET_ID = /^[A-Z]{1,8}-\d{1,10}$/;
const FILE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const reasonBody = z.object({ reason: z.string().max(2_000) }).strict();

const scopeOf = (p: Principal): Scope =>
  p.role === 'customer' ? { kind: 'tenant', tenantId: p.tenantId } : { kind: 'staff' };
const actorOf = (p: Principal): Actor => ({ id: p.userId, name: p.name, role: p.role });

/** Where the tab downloads a file. */
export function attachmentHref(a: Pick<Attachment, 'ticketId' | 'id'>): string {
  return `/api/tickets/${encodeURIComponent(a.ticketId)}/attachments/${encodeURIComponent(a.id)}`;
}

/** A file as the ticket view lists it: the adder by name only (no staff object ids). */
export function attachmentView(a: Attachment): AttachmentView {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    contentType: a.contentType,
    addedAt: a.addedAt,
    addedBy: a.addedBy.name,
    source: a.source,
    href: attachmentHref(a),
  };
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), from the cleaned name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ ()-]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams an opened file as a download with the safe headers (saved under its name, never sniffed or run as a
 * page, never cached). The tab's download and the signed links (file-links.ts) both answer through it.
 */
/** The headers every download of a file carries, through the checked route and a short-lived link alike. */
export function fileHeaders(a: Attachment): Record<string, string> {
  const tag = entityTag(a.sha256);
  return {
    'content-type': a.contentType,
    'content-disposition': contentDisposition(a.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
    ...(tag === undefined ? {} : { etag: tag }),
  };
}

/**
 * Streams an opened file (all of it, or the span it was read for) with the download headers. It pulls from the
 * blob only as fast as the client reads; a client that goes away ends the blob's read and is no failure.
 */
export async function sendFile(
  res: restify.Response,
  file: OpenedFile,
  extra: Readonly<Record<string, string>> = {},
  status = 200,
): Promise<void> {
  res.writeHead(status, { ...fileHeaders(file.attachment), 'content-length': String(file.size), ...extra });
  try {
    await pipeline(Readable.from(file.body), res);
  } catch (err) {
    if (res.destroyed && !res.writableFinished) return;
    throw err;
  }
}

/** A refusal of the attachment service as an answer. */
export function attachmentProblem(e: DomainError): Problem {
  switch (e.code) {
    case 'FILE_TOO_LARGE':
      return problem(413, e.code, e.message);
    case 'FILE_REFUSED':
      return problem(415, e.code, e.message);
    case 'TOO_MANY_FILES':
    case 'ILLEGAL_MOVE':
    case 'STALE_TICKET':
      return problem(409, e.code, e.message);
    case 'INVALID_INPUT':
      return badRequest(e.message, typeof e.details['field'] === 'string' ? e.details['field'] : undefined);
    case 'NOT_ALLOWED':
      return problem(403, e.code, e.message);
    case 'TICKET_NOT_FOUND':
    case 'ATTACHMENT_NOT_FOUND':
      return notFound();
    default:
      return problem(503, 'UNAVAILABLE', e.message);
  }
}

function header(req: restify.Request, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function ids(req: restify.Request): { ticketId: string; fileId: string } | undefined {
  const params = req.params as Record<string, unknown>;
  const ticketId = normaliseId(typeof params['id'] === 'string' ? params['id'] : '');
  const fileId = typeof params['fileId'] === 'string' ? params['fileId'] : '';
  if (!TICKET_ID.test(ticketId) || (fileId !== '' && !FILE_ID.test(fileId))) return undefined;
  return { ticketId, fileId };
}

/** Stops reading a body the answer refuses, and closes the connection after the answer. */
function refuse(req: restify.Request, res: restify.Response, out: Problem): Problem {
  res.header('connection', 'close');
  req.unpipe();
  req.resume();
  return out;
}

export function attachmentRoutes(deps: AttachmentRouteDeps): StreamRouteSpec[] {
  const download = async (
    p: Principal,
    req: restify.Request,
    res: restify.Response,
  ): Promise<ApiResponse | undefined> => {
    const id = ids(req);
    if (id === undefined || id.fileId === '') return notFound();
    const found = await deps.attachments.find(scopeOf(p), id.ticketId, id.fileId);
    if (!found.ok) {
      if (found.error.code === 'TICKET_NOT_FOUND' && p.role === 'customer')
        await recordRefusedLookup(deps, p, 'api.attachment', id.ticketId);
      return attachmentProblem(found.error);
    }
    const attachment = found.value;
    const tag = entityTag(attachment.sha256);
    const headers = { ...fileHeaders(attachment), 'accept-ranges': 'bytes' };
    if (noneMatch(header(req, 'if-none-match'), tag)) {
      res.writeHead(304, headers);
      res.end();
      return undefined;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(attachment.size) });
      res.end();
      return undefined;
    }
    const range = byteRange(header(req, 'range'), attachment.size, header(req, 'if-range'), tag);
    if (range === 'unsatisfiable') {
      res.header('content-range', `bytes */${attachment.size}`);
      return problem(416, 'RANGE_NOT_SATISFIABLE', `The file has ${attachment.size} bytes.`);
    }
    const got = await deps.attachments.read(attachment, range);
    if (!got.ok) return attachmentProblem(got.error);
    await sendFile(
      res,
      got.value,
      range === undefined
        ? { 'accept-ranges': 'bytes' }
        : {
            'accept-ranges': 'bytes',
            'content-range': `bytes ${range.start}-${range.end}/${attachment.size}`,
          },
      range === undefined ? 200 : 206,
    );
    return undefined;
  };

  const upload = async (p: Principal, req: restify.Request, res: restify.Response): Promise<ApiResponse> => {
    const id = ids(req);
    if (id === undefined) return refuse(req, res, notFound());
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/octet-stream')
      return refuse(req, res, problem(415, 'INVALID_INPUT', 'Send the file as application/octet-stream.'));
    let name: string;
    try {
      name = decodeURIComponent(String(req.headers['x-file-name'] ?? ''));
    } catch {
      return refuse(req, res, badRequest('X-File-Name is not a valid encoded name.', 'name'));
    }
    if (name.trim() === '') return refuse(req, res, badRequest('X-File-Name is missing.', 'name'));
    const length = req.headers['content-length'];
    const declaredSize = length === undefined ? undefined : Number(length);
    const declared = req.headers['x-file-type'];
    const added = await deps.attachments.add(
      {
        tenantId: '',
        ticketId: id.ticketId,
        actor: actorOf(p),
        name,
        declaredType: typeof declared === 'string' ? declared : undefined,
        declaredSize,
        source: 'tab',
        body: req,
        via: 'tab',
      },
      deps.now(),
    );
    if (!added.ok) return refuse(req, res, attachmentProblem(added.error));
    const ticket = await deps.tickets.get({ kind: 'staff' }, id.ticketId);
    return {
      status: 201,
      body: { attachment: attachmentView(added.value), version: ticket.ok ? ticket.value.version : null },
    };
  };

  const remove = async (p: Principal, req: restify.Request): Promise<ApiResponse> => {
    const id = ids(req);
    if (id === undefined || id.fileId === '') return notFound();
    const parsed = reasonBody.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest('Give the reason for deleting the file.', 'reason');
    const removed = await deps.attachments.remove(
      actorOf(p),
      id.ticketId,
      id.fileId,
      parsed.data.reason,
      deps.now(),
      'tab',
    );
    if (!removed.ok) return attachmentProblem(removed.error);
    return { status: 200, body: { attachment: attachmentView(removed.value) } };
  };

  return [
    {
      method: 'get',
      path: '/api/tickets/:id/attachments/:fileId',
      roles: ['customer', 'engineer', 'manager'],
      handler: download,
    },
    {
      method: 'head',
      path: '/api/tickets/:id/attachments/:fileId',
      roles: ['customer', 'engineer', 'manager'],
      handler: download,
    },
    { method: 'post', path: '/api/tickets/:id/attachments', roles: ['engineer', 'manager'], handler: upload },
    { method: 'del', path: '/api/tickets/:id/attachments/:fileId', roles: ['manager'], handler: remove },
  ];
}
