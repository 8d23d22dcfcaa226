// Deep links into the tab: the sub-page id a Teams link carries (context.subEntityId, teams-js's
// page.subPageId) as the tab's own hash route. The format is written down in docs/using.md (Deep links) for the cards.

const SUB_PAGE = /^ticket\/([A-Za-z]{1,8}-\d{1,10})(?:\/file\/([A-Za-z0-9_-]{1,100}))?$/;

/**
 * The hash route of a sub-page id; undefined for one the tab does not know (the tab then opens as it was).
 * @example routeOfSubPage('ticket/TM-1042') // '#/ticket/TM-1042'
 * @example routeOfSubPage('ticket/TM-1042/file/01JD2') // '#/ticket/TM-1042/file/01JD2'
 */
export function routeOfSubPage(subPageId: string | undefined): string | undefined {
  const m = SUB_PAGE.exec(subPageId ?? '');
  if (m === null) return undefined;
  const ticket = (m[1] ?? '').toUpperCase();
  return m[2] === undefined ? `#/ticket/${ticket}` : `#/ticket/${ticket}/file/${m[2]}`;
}
