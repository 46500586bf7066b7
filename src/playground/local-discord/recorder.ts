// An append-only list that tests can also await: the bot answers asynchronously, so tests need
// "resolve when the matching record arrives (or already has)" rather than polling.
interface Waiter<T> {
  readonly match: (item: T) => boolean;
  readonly resolve: (item: T) => void;
}

export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: Waiter<T>[] = [];
  private readonly listeners = new Set<(item: T) => void>();

  /** Calls `listener` with every later record (the playground's live page); returns the unsubscribe. */
  subscribe(listener: (item: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(item: T): void {
    this.items.push(item);
    for (const listener of this.listeners) listener(item);
    const ready = this.waiters.filter((waiter) => waiter.match(item));
    this.waiters = this.waiters.filter((waiter) => !waiter.match(item));
    for (const waiter of ready) waiter.resolve(item);
  }

  waitFor(match: (item: T) => boolean = () => true, timeoutMs = 5_000, what = 'record'): Promise<T> {
    const existing = this.items.find(match);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const entry: Waiter<T> = {
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.waiters.push(entry);
    });
  }
}
