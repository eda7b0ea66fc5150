// WhatsApp message ids. Meta does not document their structure; this follows the published
// examples, which decode (base64) to a small protobuf-like record: 0x1c 0x18 <len> <counterpart
// number> 0x15 0x02 0x00 <0x12 inbound | 0x11 outbound> 0x18 <len> <uppercase hex> 0x00, e.g.
// wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA= (inbound from 16503879439).
// Looking real matters: base64 brings `+`, `/` and `=` into bodies, and `/` is escaped by Meta.
import { randomHex, type Random } from './seeded-random.ts';

export type WamidDirection = 'inbound' | 'outbound';

const hexLength: Record<WamidDirection, number> = { inbound: 20, outbound: 18 };
const directionByte: Record<WamidDirection, number> = { inbound: 0x12, outbound: 0x11 };

export function wamidFromParts(parts: { counterpart: string; direction: WamidDirection; hex: string }): string {
  const counterpart = Buffer.from(parts.counterpart, 'utf8').subarray(0, 255);
  const hex = Buffer.from(parts.hex.toUpperCase(), 'ascii').subarray(0, 255);
  const bytes = Buffer.concat([
    Buffer.from([0x1c, 0x18, counterpart.length]),
    counterpart,
    Buffer.from([0x15, 0x02, 0x00, directionByte[parts.direction], 0x18, hex.length]),
    hex,
    Buffer.from([0x00]),
  ]);
  return `wamid.${bytes.toString('base64')}`;
}

/** Fresh wamids from a PRNG; the counterpart is the customer's phone number or BSUID. */
export function createWamidGenerator(random: Random): (counterpart: string, direction?: WamidDirection) => string {
  return (counterpart, direction = 'inbound') =>
    wamidFromParts({ counterpart, direction, hex: randomHex(random, hexLength[direction], { upper: true }) });
}
