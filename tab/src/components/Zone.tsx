// Shared context: the support zone and label, the server's clock offset, the signed-in viewer.
import { createContext, useContext, useEffect, useState } from 'react';
import type { Me } from '../../../src/adapters/api/contract';

export interface Session {
  readonly me: Me;
  /** Server time minus browser time, so countdowns follow the server's clock. */
  readonly offsetMs: number;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('no session');
  return s;
}

/** The server's "now", ticking every second. */
export function useNow(offsetMs: number, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const t = setInterval(() => setNow(Date.now() + offsetMs), everyMs);
    return () => clearInterval(t);
  }, [offsetMs, everyMs]);
  return now;
}
