import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNumberPacer } from './number-pacer.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Starts `count` acquisitions and returns how many have been granted so far, as time is advanced. */
function race(acquire: () => Promise<void>, count: number) {
  let granted = 0;
  for (let i = 0; i < count; i++) void acquire().then(() => granted++);
  return () => granted;
}

describe('number pacer', () => {
  it('lets a number send its rate at once, then holds the next send until the window has passed', async () => {
    const pacer = createNumberPacer({ now: () => Date.now() });
    const granted = race(() => pacer.acquire('n1', 10), 15);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted()).toBe(10);
    await vi.advanceTimersByTimeAsync(1_099);
    expect(granted()).toBe(10);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted()).toBe(15);
  });

  it('paces each number on its own', async () => {
    const pacer = createNumberPacer({ now: () => Date.now() });
    const a = race(() => pacer.acquire('a', 2), 3);
    const b = race(() => pacer.acquire('b', 2), 2);
    await vi.advanceTimersByTimeAsync(0);
    expect([a(), b()]).toEqual([2, 2]);
  });

  it('takes an equal share of the rate when several processes send, and follows the count as it changes', async () => {
    let senders = 3;
    const pacer = createNumberPacer({ now: () => Date.now(), senders: () => senders });
    const granted = race(() => pacer.acquire('n1', 80), 80);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted()).toBe(26); // floor(80 / 3)
    senders = 1; // the others stopped
    await vi.advanceTimersByTimeAsync(1_100);
    expect(granted()).toBe(80);
  });

  it('never goes below one send per window, and holds every send until it is ready', async () => {
    let open!: () => void;
    const pacer = createNumberPacer({ now: () => Date.now(), senders: () => 5, ready: new Promise<void>((r) => (open = r)) });
    const granted = race(() => pacer.acquire('n1', 2), 2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted()).toBe(0);
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(granted()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(granted()).toBe(2);
  });
});
