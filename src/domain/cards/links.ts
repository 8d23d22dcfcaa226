// Links from cards to the SLA Desk tab: a Teams deep link that opens the tab at a ticket's page (and a file on
// it), where the download goes through the API with the viewer's own token. No link without the app's id.

/** The static tab the links open (the manifest's entityId); it routes to the ticket page by its sub-page id. */
export const TAB_ENTITY = 'queue';

/**
 * A deep link to a ticket's page in the tab (with a file picked out when `fileId` is given), or undefined when
 * the Teams app's id is not configured.
 * @example tabTicketLink('1c6c…', 'TM-1042', 'f9a…')
 * // 'https://teams.microsoft.com/l/entity/1c6c…/queue?context=%7B%22subEntityId%22%3A%22ticket%2FTM-1042%2Ffile%2Ff9a…%22%7D'
 */
export function tabTicketLink(
  appId: string | undefined,
  ticketId: string,
  fileId?: string,
): string | undefined {
  if (appId === undefined || appId === '') return undefined;
  const sub = `ticket/${ticketId}${fileId === undefined ? '' : `/file/${fileId}`}`;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: sub }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${TAB_ENTITY}?context=${context}`;
}
