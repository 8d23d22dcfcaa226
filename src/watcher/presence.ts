// The live app instances, as the watcher needs them: a limit meant for the whole app (the per-tenant send
// rate) is shared among them. Storage keeps them (src/storage/presence.ts).
export interface Presence {
  /** Live instances, this one included (at least 1); `fresh` counts again now instead of using a recent count. */
  count(fresh?: boolean): Promise<number>;
  /** Leaves: the others stop counting this instance at once. */
  leave(): Promise<void>;
}
