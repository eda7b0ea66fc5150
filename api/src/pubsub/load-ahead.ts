// A subscription's events come in bursts: one committed ingest batch announces dozens of messages at
// once. Reading each row only after the previous event was delivered makes a burst cost one database
// round trip per event, in series, and a busy tenant's subscribers fall behind. Here every event's read
// starts as soon as the event arrives, so the reads of a burst run together (a DataLoader turns them
// into one query), while events are still delivered one at a time and in the order they came.
import { Repeater } from 'graphql-yoga';

/** At most this many reads run ahead of what the subscriber has taken; the source waits beyond it. */
const DEFAULT_AHEAD = 256;

export function loadAhead<T, R>(load: (event: T) => Promise<R>, { ahead = DEFAULT_AHEAD } = {}) {
  return (source: AsyncIterable<T>): AsyncIterable<R> =>
    new Repeater<R>(async (push, stop) => {
      const events = source[Symbol.asyncIterator]();
      let stopped = false;
      void stop.then(() => {
        stopped = true;
        void events.return?.();
      });
      // Deliveries are chained: each waits for the one before it, then for its own read.
      let delivered: Promise<void> = Promise.resolve();
      let inFlight = 0;
      let failed = false;
      while (!stopped && !failed) {
        const next = await events.next();
        if (next.done || stopped) break;
        const read = load(next.value);
        inFlight++;
        delivered = delivered.then(async () => {
          if (failed) return;
          try {
            const value = await read;
            await push(value);
          } catch (error) {
            failed = true;
            stop(error);
          } finally {
            inFlight--;
          }
        });
        // Swallowed here only so an unread failure is not "unhandled"; the chain above reports it.
        read.catch(() => {});
        if (inFlight >= ahead) await delivered;
      }
      await delivered;
      stop();
    });
}
