// The queue's filters, sort and search as they live in the URL ("#/queue/?state=closed&sort=priority&q=vpn"):
// the same names the API takes. Restored from the URL, else from the last queue URL of this browser tab
// (sessionStorage), so a plain "#/queue" link (the ticket page's "Back to the queue") finds the same view.
import { useCallback, useEffect, useState } from 'react';

export const PARAM_KEYS = [
  'state',
  'sla',
  'priority',
  'customer',
  'owner',
  'mine',
  'q',
  'from',
  'to',
  'date',
  'sort',
  'dir',
] as const;
export type ParamKey = (typeof PARAM_KEYS)[number];
/** '' is the default of each: open tickets, any priority…, by next deadline, in the column's natural order. */
export type QueueParams = Readonly<Record<ParamKey, string>>;

export const DEFAULTS: QueueParams = Object.fromEntries(PARAM_KEYS.map((k) => [k, ''])) as QueueParams;
const STORE_KEY = 'sla-desk.queue';

/** The query part of a queue hash ("" when none). */
function queryOf(hash: string): string | undefined {
  if (!/^(#\/?(queue)?\/?)?(\?|$)/.test(hash)) return undefined;
  const at = hash.indexOf('?');
  return at < 0 ? '' : hash.slice(at + 1);
}

/** Values that spell out a default ("state=open"), read as the default. */
const SPELLED: Partial<Record<ParamKey, string>> = {
  state: 'open',
  sort: 'deadline',
  date: 'updated',
};

/** The order a column reads naturally in ('' for `dir`): newest updated first, else ascending. */
export const naturalDir = (sort: string): 'asc' | 'desc' => (sort === 'updated' ? 'desc' : 'asc');
/** The order `p` sorts in. */
export const dirOf = (p: QueueParams): 'asc' | 'desc' =>
  p.dir === 'asc' || p.dir === 'desc' ? p.dir : naturalDir(p.sort);
/** The `dir` param for sorting by `sort` in order `dir` ('' when that is the column's natural order). */
export const dirParam = (sort: string, dir: 'asc' | 'desc'): string => (dir === naturalDir(sort) ? '' : dir);

/** What each column's two orders are called, ascending first. */
export const ORDER_WORDS: Readonly<Record<string, readonly [asc: string, desc: string]>> = {
  '': ['Soonest first', 'Latest first'],
  priority: ['Most urgent first', 'Least urgent first'],
  customer: ['A–Z', 'Z–A'],
  owner: ['A–Z', 'Z–A'],
  updated: ['Oldest first', 'Newest first'],
};

export function parseParams(query: string): QueueParams {
  const q = new URLSearchParams(query);
  const p = Object.fromEntries(
    PARAM_KEYS.map((k) => {
      const v = (q.get(k) ?? '').slice(0, 200);
      return [k, v === SPELLED[k] ? '' : v];
    }),
  ) as QueueParams;
  // "dir=asc" on a column whose natural order it is reads as the default; on "updated" it stays.
  return p.dir === 'asc' || p.dir === 'desc' ? { ...p, dir: dirParam(p.sort, p.dir) } : { ...p, dir: '' };
}

/** The query string of some params, defaults left out, in a stable order. */
export function queryString(p: QueueParams): string {
  const q = new URLSearchParams();
  for (const k of PARAM_KEYS) if (p[k] !== '') q.set(k, p[k]);
  return q.toString();
}

/** The hash of the queue showing `p`. */
export const queueHash = (p: QueueParams): string => {
  const qs = queryString(p);
  return qs === '' ? '#/queue' : `#/queue/?${qs}`;
};

function stored(): string {
  try {
    return sessionStorage.getItem(STORE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The params of the URL, or (a queue URL without any) the last ones used in this browser tab. */
function current(): QueueParams {
  const q = queryOf(window.location.hash);
  return parseParams(q === undefined || q === '' ? stored() : q);
}

/**
 * The queue's params and a setter: every change rewrites the URL in place (no history entry per keystroke)
 * and is remembered for this browser tab; going back or forward to another queue URL shows its params.
 */
export function useQueueParams(): [QueueParams, (change: Partial<QueueParams>) => void] {
  const [params, setParams] = useState<QueueParams>(current);
  useEffect(() => {
    const hash = queueHash(params);
    if (queryOf(window.location.hash) !== undefined && window.location.hash !== hash)
      window.history.replaceState(window.history.state, '', hash);
    try {
      sessionStorage.setItem(STORE_KEY, queryString(params));
    } catch {
      // Storage refused (private mode): the URL still holds the view.
    }
  }, [params]);
  useEffect(() => {
    const follow = () => {
      if (queryOf(window.location.hash) === undefined) return;
      const next = current();
      // A plain "#/queue" (the nav, a link back) shows the params it was given from this tab's session.
      if (window.location.hash !== queueHash(next))
        window.history.replaceState(window.history.state, '', queueHash(next));
      setParams((p) => (queryString(p) === queryString(next) ? p : next));
    };
    window.addEventListener('hashchange', follow);
    window.addEventListener('popstate', follow);
    return () => {
      window.removeEventListener('hashchange', follow);
      window.removeEventListener('popstate', follow);
    };
  }, []);
  const change = useCallback(
    (c: Partial<QueueParams>) =>
      setParams((p) => {
        const next = { ...p, ...c };
        return queryString(next) === queryString(p) ? p : next;
      }),
    [],
  );
  return [params, change];
}

/** Whether the viewport is narrower than `px`, following changes. */
export function useNarrower(px: number): boolean {
  const query = `(max-width: ${px - 0.02}px)`;
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const follow = () => setNarrow(media.matches);
    follow();
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [query]);
  return narrow;
}
