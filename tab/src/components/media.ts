// Widths the tab lays itself out for: below PHONE_MAX_PX it is a phone (Teams mobile, a narrow side panel).
import { useSyncExternalStore } from 'react';

/** Phones and narrow panels: the nav is a menu, tables are stacked rows. */
export const PHONE_MAX_PX = 639;
/** The media query of a phone-width viewport, for makeStyles and matchMedia alike. */
export const PHONE = `@media (max-width: ${PHONE_MAX_PX}px)`;

/** Whether a media query matches now, followed live. */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (cb) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', cb);
      return () => m.removeEventListener('change', cb);
    },
    () => window.matchMedia(query).matches,
  );
}

/** True at phone widths. */
export const usePhone = (): boolean => useMedia(`(max-width: ${PHONE_MAX_PX}px)`);
