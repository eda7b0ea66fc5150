import { Repeater } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { loadAhead } from './load-ahead.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function take<T>(iterable: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) {
    out.push(value);
    if (out.length === n) break;
  }
  return out;
}

describe('loadAhead', () => {
  it('starts every read of a burst at once and still delivers in arrival order', async () => {
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const burst = new Repeater<number>(async (push) => {
      for (let i = 0; i < 20; i++) await push(i);
    });
    const delivered = await take(
      loadAhead(async (i: number) => {
        started.push(i);
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await sleep(20 - i); // later events' reads finish first
        running--;
        return `row ${i}`;
      })(burst),
      20,
    );
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => `row ${i}`));
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(mostAtOnce).toBeGreaterThan(10);
  });

  it('lets no more than `ahead` reads run before the subscriber takes one', async () => {
    let started = 0;
    const source = new Repeater<number>(async (push) => {
      for (let i = 0; i < 1000; i++) await push(i);
    });
    const iterator = loadAhead(async (i: number) => (started++, i), { ahead: 5 })(source)[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 0, done: false });
    // Source and reads are promises only: once the microtask queue has drained (one macrotask turn),
    // the pipeline has gone as far ahead as it ever will.
    await new Promise((r) => setImmediate(r));
    expect(started).toBeGreaterThanOrEqual(5);
    expect(started).toBeLessThanOrEqual(7);
    await iterator.return?.();
  });

  it('ends with an error when a read fails, after delivering what came before it', async () => {
    const source = new Repeater<number>(async (push) => {
      for (let i = 0; i < 5; i++) await push(i);
    });
    const iterator = loadAhead(async (i: number) => {
      if (i === 2) throw new Error('database gone');
      return i;
    })(source)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(0);
    expect((await iterator.next()).value).toBe(1);
    await expect(iterator.next()).rejects.toThrow('database gone');
  });

  it('stops its source when the subscriber leaves', async () => {
    let sourceStopped = false;
    const source = new Repeater<number>(async (push, stop) => {
      void push(1);
      await stop;
      sourceStopped = true;
    });
    const iterator = loadAhead(async (i: number) => i)(source)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    await iterator.return?.();
    await expect.poll(() => sourceStopped).toBe(true);
  });
});
