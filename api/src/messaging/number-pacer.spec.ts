import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNumberPacer, type ReleaseSlot } from './number-pacer.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Starts `count` sends; each is answered `latencyMs` after it may start. Returns how many have started. */
function sends(acquire: () => Promise<ReleaseSlot>, count: number, latencyMs = 0) {
  let started = 0;
  for (let i = 0; i < count; i++) {
    void acquire().then((release) => {
      started++;
      setTimeout(release, latencyMs);
    });
  }
  return () => started;
}

describe('number pacer', () => {
  it('lets a number send its rate at once, then holds the next send until a window after the first was answered', async () => {
    const pacer = createNumberPacer({ now: () => Date.now(), windowMs: 1000 });
    const started = sends(() => pacer.acquire('n1', 10), 15, 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(10);
    // The first ten were answered at 200 ms: the eleventh may start at 1,200 ms, not at 1,000.
    await vi.advanceTimersByTimeAsync(1_199);
    expect(started()).toBe(10);
    await vi.advanceTimersByTimeAsync(1);
    expect(started()).toBe(15);
  });

  it('waits for a send still in flight before counting the window from it', async () => {
    const pacer = createNumberPacer({ now: () => Date.now(), windowMs: 1000 });
    const releases: ReleaseSlot[] = [];
    let started = 0;
    for (let i = 0; i < 2; i++) void pacer.acquire('n1', 1).then((r) => (started++, releases.push(r)));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toBe(1); // the first has not been answered yet
    releases[0]!();
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(2);
  });

  it('paces each number on its own', async () => {
    const pacer = createNumberPacer({ now: () => Date.now() });
    const a = sends(() => pacer.acquire('a', 2), 3);
    const b = sends(() => pacer.acquire('b', 2), 2);
    await vi.advanceTimersByTimeAsync(0);
    expect([a(), b()]).toEqual([2, 2]);
  });

  it('takes an equal share of the rate when several processes send, and follows the count as it changes', async () => {
    let senders = 3;
    const pacer = createNumberPacer({ now: () => Date.now(), windowMs: 1000, senders: () => senders });
    const started = sends(() => pacer.acquire('n1', 80), 80);
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(26); // floor(80 / 3)
    senders = 1; // the others stopped
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started()).toBe(80);
  });

  it('never goes below one send per window, and holds every send until it is ready', async () => {
    let open!: () => void;
    const pacer = createNumberPacer({ now: () => Date.now(), windowMs: 1000, senders: () => 5, ready: new Promise<void>((r) => (open = r)) });
    const started = sends(() => pacer.acquire('n1', 2), 2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started()).toBe(0);
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(started()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started()).toBe(2);
  });
});
