// Who is told of a change: parts subscribe once at wiring time; the owner of the change publishes it.

export type Listener<T> = (change: T) => Promise<void>;

export class Listeners<T> {
  private readonly all: Listener<T>[] = [];

  /** Adds a listener; they are told in the order they subscribed. */
  subscribe(listener: Listener<T>): void {
    this.all.push(listener);
  }

  /** Tells every listener, one after the other; a listener that throws stops the rest and rejects. */
  async publish(change: T): Promise<void> {
    for (const listener of this.all) await listener(change);
  }
}
