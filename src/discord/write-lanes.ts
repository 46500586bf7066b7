// One lane per job message: writes go one at a time, in order, and only the latest state waits.
// A progress edit that a newer state overtakes before it starts is dropped rather than sent late,
// so a message that Discord rate-limits never works through a backlog of stale edits, and a late
// "Generating… 50%" can never land over the images.

export interface WriteLanes {
  /**
   * Runs `write` after the key's earlier writes. A `droppable` write still waiting when a newer
   * write for the same key arrives is skipped: its promise resolves `undefined`.
   */
  submit<T>(key: string, write: () => Promise<T>, options: { readonly droppable: boolean }): Promise<T | undefined>;
  /** Forgets an idle lane (a job whose message is final). */
  forget(key: string): void;
}

interface Waiting {
  readonly run: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly droppable: boolean;
}

interface Lane {
  busy: boolean;
  waiting: Waiting[];
  /** What the lane's first write waits for. */
  readonly ready: Promise<void>;
}

/** @param firstWriteWaitsFor - resolves when a key's first write may go (e.g. another process's edit is done). */
export function createWriteLanes(firstWriteWaitsFor: (key: string) => Promise<void> = async () => undefined): WriteLanes {
  const lanes = new Map<string, Lane>();

  async function pump(lane: Lane): Promise<void> {
    if (lane.busy) return;
    lane.busy = true;
    await lane.ready;
    for (let next = lane.waiting.shift(); next !== undefined; next = lane.waiting.shift()) {
      try {
        next.resolve(await next.run());
      } catch (error) {
        next.reject(error);
      }
    }
    lane.busy = false;
  }

  return {
    submit<T>(key: string, write: () => Promise<T>, { droppable }: { readonly droppable: boolean }): Promise<T | undefined> {
      let lane = lanes.get(key);
      if (lane === undefined) lanes.set(key, (lane = { busy: false, waiting: [], ready: firstWriteWaitsFor(key).catch(() => undefined) }));
      const current = lane;
      return new Promise<T | undefined>((resolve, reject) => {
        for (const stale of current.waiting.filter((waiting) => waiting.droppable)) stale.resolve(undefined);
        current.waiting = current.waiting.filter((waiting) => !waiting.droppable);
        current.waiting.push({ run: write, resolve: resolve as (value: unknown) => void, reject, droppable });
        void pump(current);
      });
    },
    forget(key) {
      const lane = lanes.get(key);
      if (lane !== undefined && !lane.busy && lane.waiting.length === 0) lanes.delete(key);
    },
  };
}
