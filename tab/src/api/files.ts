// A ticket's files over the tab API: download through a short-lived link the API makes for the viewer, upload
// with progress (XMLHttpRequest: fetch reports no upload progress), delete with a reason.
import type { AttachmentView, ProblemBody } from '../../../src/adapters/api/contract';
import type { FileLinkView } from '../../../src/adapters/api/contract-ticket';
import { ApiError, authorizedFetch, bearerToken, forgetToken } from './client';
import { initTeams, teamsJs } from './host';

/** What a 404 on a file means to the person: deleted, or never theirs to see (the API answers both alike). */
export const GONE = 'This file is no longer available.';

function problemOf(status: number, text: string): ApiError {
  let e: Partial<ProblemBody['error']> | undefined;
  try {
    e = (JSON.parse(text) as Partial<ProblemBody>).error;
  } catch {
    e = undefined;
  }
  if (status === 404) return new ApiError(404, 'NOT_FOUND', GONE);
  return new ApiError(status, e?.code ?? 'ERROR', e?.message ?? `The server answered ${status}.`);
}

/**
 * Saves a file: asks the API for a short-lived link to it (made with the viewer's token), then hands the link to
 * Teams (app.openLink: the desktop and mobile clients save it through the browser or the device) or, in a plain
 * browser, follows it (the answer is an attachment, so the page stays). Teams' clients do not reliably save a
 * download made from the tab's own memory (docs/using.md, Files on a ticket).
 */
export async function downloadFile(href: string, name: string): Promise<void> {
  const r = await authorizedFetch(`${href}/link`, { method: 'POST' });
  if (!r.ok) throw problemOf(r.status, await r.text());
  const { url } = (await r.json()) as FileLinkView;
  const absolute = new URL(url, window.location.href).href;
  if (await initTeams()) {
    const { app } = await teamsJs();
    await app.openLink(absolute);
    return;
  }
  const a = document.createElement('a');
  a.href = absolute;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}

/** An upload's answer: the file, and the ticket's version after it (each file added is a change). */
export interface Uploaded {
  readonly attachment: AttachmentView;
  readonly version: number | null;
}

/** Uploads one file to a ticket; `progress` gets the share sent (0…1). Rejects with the API's reason. */
export async function uploadFile(
  ticketId: string,
  file: File,
  progress: (sent: number) => void,
): Promise<Uploaded> {
  const token = await bearerToken();
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', `/api/tickets/${encodeURIComponent(ticketId)}/attachments`);
    x.setRequestHeader('authorization', `Bearer ${token}`);
    x.setRequestHeader('content-type', 'application/octet-stream');
    x.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    if (file.type !== '') x.setRequestHeader('x-file-type', file.type);
    x.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) progress(e.loaded / e.total);
    };
    x.onload = () => {
      if (x.status === 201) {
        resolve(JSON.parse(x.responseText) as Uploaded);
        return;
      }
      // A token the server no longer accepts is dropped: trying again signs in afresh.
      if (x.status === 401) forgetToken();
      // A 404 here is the ticket, not a file: say so plainly.
      if (x.status === 404)
        reject(new ApiError(404, 'NOT_FOUND', 'The ticket is no longer there to add to.'));
      else reject(problemOf(x.status, x.responseText));
    };
    x.onerror = () =>
      reject(new ApiError(0, 'NETWORK', `${file.name} did not reach SLA Desk (the connection failed).`));
    x.send(file);
  });
}

/** Deletes a file (managers), recording `reason` in the timeline. */
export async function deleteFile(href: string, reason: string): Promise<void> {
  const r = await authorizedFetch(href, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  if (!r.ok) throw problemOf(r.status, await r.text());
}
