// Per-number throughput as Cloud API enforces it: at most N accepted messages in any one-second
// window (80/s by default). The window slides: it is the last 1000 ms before each send, not a
// calendar second, so a burst of 80 at t=999 ms blocks sends until t=1999 ms. Also the numbers the
// benchmark prints: accepted, rejected by throughput, and the peak accepted in any one second.
// https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput

const windowMs = 1_000;

export interface ThroughputStats {
  accepted: number;
  rejectedByThroughput: number;
  /** The most sends accepted within any sliding one-second window. */
  peakPerSecond: number;
}

export interface ThroughputMeter {
  /** Takes a slot for a send at `at` if the number has one left; counts the outcome either way. */
  tryAcquire(phoneNumberId: string, limitPerSecond: number, at: number): boolean;
  stats(): Map<string, ThroughputStats>;
  reset(): void;
}

interface NumberWindow extends ThroughputStats {
  /** Accept times inside the window, oldest first, from `head` on (a queue without shifting). */
  times: number[];
  head: number;
}

export function createThroughputMeter(): ThroughputMeter {
  const windows = new Map<string, NumberWindow>();

  function windowOf(id: string): NumberWindow {
    let window = windows.get(id);
    if (!window) windows.set(id, (window = { times: [], head: 0, accepted: 0, rejectedByThroughput: 0, peakPerSecond: 0 }));
    return window;
  }

  return {
    tryAcquire(phoneNumberId, limitPerSecond, at) {
      const window = windowOf(phoneNumberId);
      while (window.head < window.times.length && (window.times[window.head] as number) <= at - windowMs) window.head++;
      if (window.head > 1024 && window.head * 2 > window.times.length) {
        window.times = window.times.slice(window.head);
        window.head = 0;
      }
      const inWindow = window.times.length - window.head;
      if (inWindow >= limitPerSecond) {
        window.rejectedByThroughput++;
        return false;
      }
      window.times.push(at);
      window.accepted++;
      window.peakPerSecond = Math.max(window.peakPerSecond, inWindow + 1);
      return true;
    },
    stats() {
      return new Map(
        [...windows].map(([id, { accepted, rejectedByThroughput, peakPerSecond }]) => [id, { accepted, rejectedByThroughput, peakPerSecond }]),
      );
    },
    reset() {
      windows.clear();
    },
  };
}
