// Work announced by many small callers, done in one go: items pushed within `flushMs` of the first are
// handed to `send` together. Sends run one at a time and in order; `send` reports its own failures.

export interface Coalescer<T> {
  push(...items: T[]): void;
  /** Sends what is pending now (on shutdown); resolves once every send so far has finished. */
  flush(): Promise<void>;
}

export function coalesce<T>(flushMs: number, send: (items: T[]) => Promise<void>): Coalescer<T> {
  let pending: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) {
      const items = pending;
      pending = [];
      sending = sending.then(() => send(items));
    }
    return sending;
  };
  return {
    push(...items) {
      pending.push(...items);
      timer ??= setTimeout(flush, flushMs);
    },
    flush,
  };
}
