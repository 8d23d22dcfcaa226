// Loads an API path into state: loading, error or data, with refresh (and optional auto refresh). A request
// superseded by a newer one (another path, a refresh) is cancelled, and its answer never shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson } from './client';

export type Load<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string; readonly status: number }
  | { readonly kind: 'ready'; readonly data: T; readonly at: number; readonly refreshing: boolean };

export function useApi<T>(path: string | null, refreshMs?: number): [Load<T>, () => void] {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' });
  const seq = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  const load = useCallback(() => {
    if (path === null) return;
    const mine = ++seq.current;
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState((s) => (s.kind === 'ready' ? { ...s, refreshing: true } : { kind: 'loading' }));
    getJson<T>(path, controller.signal).then(
      (data) => {
        if (mine === seq.current) setState({ kind: 'ready', data, at: Date.now(), refreshing: false });
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 0;
        setState({ kind: 'error', message: err instanceof Error ? err.message : String(err), status });
      },
    );
  }, [path]);
  useEffect(() => {
    setState({ kind: 'loading' });
    load();
    const timer = refreshMs === undefined ? undefined : setInterval(load, refreshMs);
    return () => {
      clearInterval(timer);
      // Whatever is still on its way answers a path no longer shown.
      seq.current++;
      inFlight.current?.abort();
    };
  }, [load, refreshMs]);
  return [state, load];
}
