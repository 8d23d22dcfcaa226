// Loads an API path into state: loading, error or data, with refresh (and optional auto refresh).
import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson } from './client';

export type Load<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string; readonly status: number }
  | { readonly kind: 'ready'; readonly data: T; readonly at: number; readonly refreshing: boolean };

export function useApi<T>(path: string | null, refreshMs?: number): [Load<T>, () => void] {
  const [state, setState] = useState<Load<T>>({ kind: 'loading' });
  const seq = useRef(0);
  const load = useCallback(() => {
    if (path === null) return;
    const mine = ++seq.current;
    setState((s) => (s.kind === 'ready' ? { ...s, refreshing: true } : { kind: 'loading' }));
    getJson<T>(path).then(
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
    if (refreshMs === undefined) return undefined;
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);
  return [state, load];
}
