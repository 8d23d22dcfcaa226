// How long what people type about a ticket may be: plain numbers, so the tab can size its inputs without
// loading the checks themselves (fields.ts re-exports them and checks with them).

/** Limits checked before anything is written (Table Storage: 64 KiB a property, 1 MiB an entity). */
export const LIMITS = {
  title: 200,
  description: 8000,
  message: 8000,
  reason: 500,
  release: 100,
  name: 200,
  id: 200,
  callback: 40,
  pauses: 300,
  priorityChanges: 30,
  ratingComment: 1000,
  /** Resolutions asked for a rating on one ticket; later ones are not asked. */
  ratings: 20,
} as const;
