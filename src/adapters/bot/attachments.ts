// Files a customer sends in the 1:1 chat, put on a ticket: what can be refused at once (too many, a type not
// accepted, a link off Teams' and SharePoint's hosts) is told in the turn's answer without any download; the
// rest is downloaded and stored after the answer, in order per ticket, and the customer gets one message
// saying which files are attached (stored) and which are not, and why.
import { z } from 'zod';
import {
  filesOutcomeCard,
  names,
  type AttachedFile,
  type RefusedFile,
} from '../../domain/cards/customer/files';
import { messageOf } from '../../domain/kit/errors';
import type { Instant } from '../../domain/sla';
import type { Result } from '../../domain/tickets/errors';
import type { Actor, ChatRef } from '../../domain/tickets/model';
import {
  chatFilesOf,
  imageName,
  type ChatFile,
  type FetchFailure,
  type FileFetcher,
} from '../teams/chat-files';
import type { Config } from '../../config';
import type { TeamsDeps } from '../teams/deps';

/** What the bot uses of the attachment service (src/domain/attachments/service.ts). */
export interface AttachmentPort {
  readonly limits: { readonly maxBytes: number };
  /** The checks that need no bytes (name, type, declared size). */
  check(name: string, declaredType?: string, declaredSize?: number): Result<unknown>;
  /** Stores a file on the tenant's ticket; the file as stored, or why not (nothing kept then). */
  add(
    input: {
      readonly tenantId: string;
      readonly ticketId: string;
      readonly actor: Actor;
      readonly name: string;
      readonly declaredType?: string | undefined;
      readonly declaredSize?: number | undefined;
      readonly source: 'chat' | 'pasted-image';
      readonly body: AsyncIterable<Uint8Array>;
    },
    now: Instant,
  ): Promise<Result<AttachedFile>>;
}

/** The parts this feature uses. */
export type AttachDeps = Pick<TeamsDeps, 'background' | 'log' | 'outbound' | 'now'> & {
  readonly config: Pick<Config, 'chatFiles'>;
  readonly attachments: AttachmentPort;
  readonly fetcher: FileFetcher;
};

/** A message's files sorted before any download: those to fetch, and those refused with the reason. */
export interface Sorted {
  readonly fetch: readonly ChatFile[];
  readonly refused: readonly RefusedFile[];
}

/** The files a message carries, sorted: past the per-message limit, types not accepted, links off the allowed hosts. */
export function sortFiles(deps: AttachDeps, files: readonly ChatFile[]): Sorted {
  const max = deps.config.chatFiles.perMessage;
  const fetch: ChatFile[] = [];
  const refused: RefusedFile[] = [];
  for (const [i, f] of files.entries()) {
    if (i >= max) {
      refused.push({
        name: f.name,
        sentence: `${f.name} was not attached: SLA Desk takes at most ${max} files from one message. Please send it again in another message.`,
      });
      continue;
    }
    const checked = deps.attachments.check(f.name);
    if (!checked.ok) {
      refused.push({ name: f.name, sentence: checked.error.message });
      continue;
    }
    if (deps.fetcher.refusal(f) !== undefined) {
      refused.push({
        name: f.name,
        sentence: `${f.name} was not attached: its link does not point to Teams or SharePoint, so SLA Desk did not download it.`,
      });
      continue;
    }
    fetch.push(f);
  }
  return { fetch, refused };
}

/** The files of a message, sorted. */
export function filesOfMessage(deps: AttachDeps, activity: Parameters<typeof chatFilesOf>[0]): Sorted {
  return sortFiles(deps, chatFilesOf(activity));
}

/** What the turn's answer says about a message's files: what is being fetched and what was refused at once. */
export function promiseText(ticketId: string, sorted: Sorted): string {
  const parts: string[] = [];
  if (sorted.fetch.length > 0) {
    const list = names(sorted.fetch.map((f) => f.name));
    parts.push(
      `Fetching ${list} from Teams for ${ticketId}; you will get a message here once ${sorted.fetch.length === 1 ? 'it is' : 'they are'} attached.`,
    );
  }
  for (const r of sorted.refused) parts.push(r.sentence);
  return parts.join(' ');
}

/** Why a download did not give a file, as the sentence the customer reads. */
function fetchSentence(name: string, failure: FetchFailure, maxBytes: number): string {
  switch (failure.reason) {
    case 'too-large':
      return `${name} was not attached: it is larger than ${Math.floor(maxBytes / (1024 * 1024))} MB, the limit.`;
    case 'refused':
      return `${name} was not attached: Teams sent it on to an address that is not Teams or SharePoint, so SLA Desk did not download it.`;
    case 'failed':
      return `${name} could not be downloaded from Teams; please send it again.`;
  }
}

/** Downloads one file into the ticket's storage: the file as stored, or the sentence saying why not. */
async function attachOne(
  deps: AttachDeps,
  to: AttachTarget,
  f: ChatFile,
): Promise<{ ok: true; file: AttachedFile } | { ok: false; sentence: string }> {
  const maxBytes = deps.attachments.limits.maxBytes;
  const opened = await deps.fetcher.open(f, maxBytes);
  const failed = (failure: FetchFailure) => {
    deps.log.warn('a chat file was not downloaded', {
      ticket: to.ticketId,
      kind: f.kind,
      reason: failure.reason,
      detail: failure.detail.slice(0, 200),
    });
    return { ok: false as const, sentence: fetchSentence(f.name, failure, maxBytes) };
  };
  if (!opened.ok) return failed(opened);
  try {
    const stored = await deps.attachments.add(
      {
        tenantId: to.tenantId,
        ticketId: to.ticketId,
        actor: to.actor,
        name: imageName(f, opened.contentType),
        declaredType: opened.contentType,
        declaredSize: opened.declaredSize,
        source: f.kind === 'image' ? 'pasted-image' : 'chat',
        body: opened.body,
      },
      deps.now(),
    );
    // A download that stopped is the download's failure, whatever storage made of it.
    const failure = opened.failure();
    if (failure !== undefined) return failed(failure);
    if (stored.ok) return { ok: true, file: stored.value };
    return { ok: false, sentence: stored.error.message };
  } catch (err) {
    const failure = opened.failure();
    if (failure !== undefined) return failed(failure);
    deps.log.warn('a chat file was not stored', { ticket: to.ticketId, error: messageOf(err) });
    return { ok: false, sentence: `${f.name} could not be stored right now; please send it again.` };
  } finally {
    opened.close();
  }
}

/** Where a message's files go: the tenant's ticket, as the customer, told in their chat. */
export interface AttachTarget {
  readonly tenantId: string;
  readonly ticketId: string;
  readonly actor: Actor;
  readonly chat: ChatRef;
}

/**
 * After the answer, in order per ticket: downloads and stores each file, then tells the customer in their chat
 * which are attached (stored) and which are not, and why.
 */
export function attachLater(deps: AttachDeps, to: AttachTarget, files: readonly ChatFile[]): void {
  if (files.length === 0) return;
  deps.background.run(`files:${to.ticketId}`, `attaching files to ${to.ticketId}`, async () => {
    const attached: AttachedFile[] = [];
    const refused: RefusedFile[] = [];
    for (const f of files) {
      const done = await attachOne(deps, to, f);
      if (done.ok) attached.push(done.file);
      else refused.push({ name: f.name, sentence: done.sentence });
    }
    const card = filesOutcomeCard(to.ticketId, attached, refused);
    try {
      await deps.outbound.patiently(() => deps.outbound.toCustomer(to.chat, card, `${to.ticketId}: files`));
    } catch (err) {
      deps.log.warn('could not tell the customer which files were attached', {
        ticket: to.ticketId,
        error: messageOf(err),
      });
    }
  });
}

/** The files a form carries to its submit (as JSON: card data holds only strings, numbers and booleans). */
const carried = z
  .array(
    z.object({
      kind: z.enum(['file', 'image']),
      name: z.string().min(1).max(300),
      url: z.string().min(1).max(4_000),
    }),
  )
  .max(50);

/** The files to fetch, as a form carries them. */
export function carryFiles(files: readonly ChatFile[]): string {
  return JSON.stringify(files.map((f) => ({ kind: f.kind, name: f.name, url: f.url })));
}

/**
 * The files a submitted form carried, sorted again: the form came back from the client, so its links are
 * checked as if the message were new. Unreadable: none.
 */
export function carriedFiles(deps: AttachDeps, data: unknown): Sorted {
  if (typeof data !== 'string' || data === '') return { fetch: [], refused: [] };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { fetch: [], refused: [] };
  }
  const parsed = carried.safeParse(json);
  return parsed.success ? sortFiles(deps, parsed.data) : { fetch: [], refused: [] };
}
