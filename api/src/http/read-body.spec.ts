import { describe, expect, it } from 'vitest';
import { BodyTooLarge, cappedChunks, declaresMoreThan } from './read-body.ts';

async function* chunksOf(...sizes: number[]) {
  for (const size of sizes) yield new Uint8Array(size);
}

async function lengthsRead(chunks: AsyncIterable<Uint8Array>, into: number[] = []): Promise<number[]> {
  for await (const chunk of chunks) into.push(chunk.length);
  return into;
}

describe('read-body', () => {
  describe('cappedChunks', () => {
    it('passes chunks on as they come, up to the limit', async () => {
      expect(await lengthsRead(cappedChunks(chunksOf(4, 6), 10))).toEqual([4, 6]);
    });

    it('fails at the first chunk past the limit, having passed on only those before it', async () => {
      const passed: number[] = [];
      await expect(lengthsRead(cappedChunks(chunksOf(4, 6, 1, 100), 10), passed)).rejects.toBeInstanceOf(BodyTooLarge);
      expect(passed).toEqual([4, 6]);
    });
  });

  describe('declaresMoreThan', () => {
    it('compares a Content-Length with the limit; no header announces nothing', () => {
      expect([declaresMoreThan('11', 10), declaresMoreThan('10', 10), declaresMoreThan(null, 10), declaresMoreThan(undefined, 10)]).toEqual([true, false, false, false]);
    });
  });
});
