// Deterministic randomness for the sandbox: tests pass a fixed seed and get the same stream of
// customers, texts and wamids every run; dev runs seed from the OS so restarts never replay ids.
import { randomInt as cryptoRandomInt } from 'node:crypto';

/** A source of floats in [0, 1), like Math.random. */
export type Random = () => number;

/** sfc32 seeded through splitmix32: 128 bits of state, so different seeds give unrelated streams. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

export function osSeed(): number {
  return cryptoRandomInt(0, 2 ** 32 - 1);
}

/** Integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick: no items');
  return items[Math.floor(random() * items.length)] as T;
}

/** Picks a key with probability proportional to its weight. */
export function pickWeighted<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  return (entries.at(-1) as [K, number])[0];
}

export function randomHex(random: Random, length: number, { upper = false } = {}): string {
  let hex = '';
  for (let i = 0; i < length; i++) hex += Math.floor(random() * 16).toString(16);
  return upper ? hex.toUpperCase() : hex;
}

export function randomDigits(random: Random, length: number): string {
  let digits = String(randomInt(random, 1, 9));
  for (let i = 1; i < length; i++) digits += String(randomInt(random, 0, 9));
  return digits;
}
