// Small, structurally valid files for the media customers send: an 8×8 grey baseline JPEG, an Ogg
// Opus voice note of one silent frame, a one-page PDF receipt, a 1×1 WebP sticker and an MP4 that
// has the right boxes but no track. Bytes are a pure function of the media id, so a downloader can
// fetch them from the sandbox and verify the sha256 the webhook announced.
import { createHash } from 'node:crypto';

export type SampleKind = 'image' | 'audio' | 'document' | 'video' | 'sticker';

export const sampleMimeTypes: Readonly<Record<SampleKind, string>> = {
  image: 'image/jpeg',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  video: 'video/mp4',
  sticker: 'image/webp',
};

export function sampleMedia(kind: SampleKind, mediaId: string): Uint8Array {
  const tag = `meta-sandbox media ${mediaId}`;
  const seed = createHash('sha256').update(tag).digest();
  switch (kind) {
    case 'image':
      return jpeg(tag, 136 + ((seed[0] as number) % 112));
    case 'audio':
      return oggOpus(tag, seed.readUInt32LE(0));
    case 'document':
      return pdf(`Acme Coffee receipt - ${tag}`);
    case 'video':
      return mp4(tag);
    case 'sticker':
      return webp(tag);
  }
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const u16be = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

/**
 * Baseline JPEG, one grey 8×8 block: quantisation all 1s, one-code Huffman tables, DC only. The
 * comment segment carries the media id so every file differs.
 */
function jpeg(comment: string, grey: number): Uint8Array {
  const dc = 8 * (grey - 128); // level shift 128, DC basis 1/8
  const category = dc.toString(2).length;
  const segment = (marker: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([0xff, marker]), u16be(body.length + 2), body]);
  const huffman = (tableClass: number, symbol: number): Buffer =>
    segment(0xc4, Buffer.concat([Buffer.from([tableClass << 4]), Buffer.from([1, ...new Array<number>(15).fill(0)]), Buffer.from([symbol])]));
  // DC code "0", the DC value in `category` bits, AC end-of-block code "0"; pad with 1s.
  let bits = `0${dc.toString(2)}0`;
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '1');
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = parseInt(bits.slice(i, i + 8), 2);
    scan.push(byte);
    if (byte === 0xff) scan.push(0x00);
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xfe, ascii(comment)),
    segment(0xdb, Buffer.from([0x00, ...new Array<number>(64).fill(1)])),
    segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
    huffman(0, category),
    huffman(1, 0x00),
    segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Ogg Opus (RFC 7845): OpusHead page, OpusTags page, one page with a silent 20 ms frame. */
function oggOpus(comment: string, serial: number): Uint8Array {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // mono
  head.writeUInt16LE(0, 10); // pre-skip
  head.writeUInt32LE(48_000, 12);
  const vendor = ascii('meta-sandbox');
  const tag = ascii(`COMMENT=${comment}`);
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const tags = Buffer.concat([ascii('OpusTags'), u32(vendor.length), vendor, u32(1), u32(tag.length), tag]);
  // TOC 0xf8: CELT fullband 20 ms, mono, one frame; an empty frame decodes as silence.
  const frame = Buffer.from([0xf8]);
  return Buffer.concat([oggPage(0x02, 0, serial, 0, head), oggPage(0x00, 0, serial, 1, tags), oggPage(0x04, 960, serial, 2, frame)]);
}

function oggPage(flags: number, granule: number, serial: number, sequence: number, data: Buffer): Buffer {
  const lacing: number[] = [];
  let left = data.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header.writeUInt8(0, 4);
  header.writeUInt8(flags, 5);
  header.writeBigUInt64LE(BigInt(granule), 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header.writeUInt8(lacing.length, 26);
  const page = Buffer.concat([header, Buffer.from(lacing), data]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

const oggCrcTable = Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0. */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (oggCrcTable[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

/** A one-page PDF with a correct cross-reference table. */
function pdf(line: string): Uint8Array {
  const text = line.replace(/[()\\]/g, '');
  const content = `BT /F1 10 Tf 24 72 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return ascii(out);
}

/** ISO BMFF boxes: ftyp, a free box naming the media, an empty mdat. */
function mp4(comment: string): Uint8Array {
  const box = (type: string, body: Buffer): Buffer => {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(body.length + 8);
    return Buffer.concat([size, ascii(type), body]);
  };
  const ftyp = Buffer.concat([ascii('isom'), Buffer.from([0, 0, 2, 0]), ascii('isomiso2mp41')]);
  return Buffer.concat([box('ftyp', ftyp), box('free', ascii(comment)), box('mdat', Buffer.alloc(0))]);
}

/** Extended WebP: VP8X header, a 1×1 lossless image, an XMP chunk naming the media. */
function webp(comment: string): Uint8Array {
  const chunk = (type: string, body: Buffer): Buffer => {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length);
    return Buffer.concat([ascii(type), size, body, body.length % 2 === 1 ? Buffer.from([0]) : Buffer.alloc(0)]);
  };
  const vp8x = Buffer.from([0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // XMP flag; canvas 1×1
  const vp8l = Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07]);
  const xmp = ascii(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><!-- ${comment} --></x:xmpmeta>`);
  const body = Buffer.concat([ascii('WEBP'), chunk('VP8X', vp8x), chunk('VP8L', vp8l), chunk('XMP ', xmp)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([ascii('RIFF'), size, body]);
}
