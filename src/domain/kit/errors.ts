// The text of a thrown value, for logs and for what people are shown.

/** The message of an Error, or the value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
