import { describe, expect, it } from 'vitest';
import { sampleMedia } from './sample-media.ts';

const id = '1146983529903517';

/** Ogg's CRC, computed independently of sample-media.ts, bit by bit. */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

describe('sampleMedia', () => {
  it('is a pure function of the media id', () => {
    expect(Buffer.from(sampleMedia('image', id)).equals(Buffer.from(sampleMedia('image', id)))).toBe(true);
    expect(Buffer.from(sampleMedia('image', id)).equals(Buffer.from(sampleMedia('image', '2')))).toBe(false);
  });

  it('makes a baseline JPEG: SOI, comment, tables, frame, scan, EOI', () => {
    const jpeg = Buffer.from(sampleMedia('image', id));
    const markers: number[] = [];
    let at = 2;
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    while (jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
      markers.push(jpeg[at + 1] as number);
      at += 2 + jpeg.readUInt16BE(at + 2);
    }
    expect(markers).toEqual([0xfe, 0xdb, 0xc0, 0xc4, 0xc4]);
    expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(jpeg.includes(Buffer.from(`meta-sandbox media ${id}`))).toBe(true);
  });

  it('makes Ogg Opus pages with valid CRCs: OpusHead, OpusTags, one audio page', () => {
    const ogg = Buffer.from(sampleMedia('audio', id));
    const pages: { flags: number; payload: Buffer }[] = [];
    let at = 0;
    while (at < ogg.length) {
      expect(ogg.toString('latin1', at, at + 4)).toBe('OggS');
      const segments = ogg[at + 26] as number;
      const size = [...ogg.subarray(at + 27, at + 27 + segments)].reduce((a, b) => a + b, 0);
      const page = Buffer.from(ogg.subarray(at, at + 27 + segments + size));
      const crc = page.readUInt32LE(22);
      page.writeUInt32LE(0, 22);
      expect(oggCrc(page)).toBe(crc);
      pages.push({ flags: page[5] as number, payload: page.subarray(27 + segments) });
      at += page.length;
    }
    expect(pages.map((p) => p.flags)).toEqual([0x02, 0x00, 0x04]);
    expect(pages[0]?.payload.toString('latin1', 0, 8)).toBe('OpusHead');
    expect(pages[1]?.payload.toString('latin1', 0, 8)).toBe('OpusTags');
  });

  it('makes a PDF whose cross-reference offsets point at its objects', () => {
    const pdf = Buffer.from(sampleMedia('document', id)).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const offsets = [...pdf.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets.map((offset, i) => pdf.slice(offset, offset + `${i + 1} 0 obj`.length))).toEqual(offsets.map((_, i) => `${i + 1} 0 obj`));
  });

  it('makes an extended WebP with a correct RIFF size and a 1×1 lossless image', () => {
    const webp = Buffer.from(sampleMedia('sticker', id));
    expect(webp.toString('latin1', 0, 4)).toBe('RIFF');
    expect(webp.readUInt32LE(4)).toBe(webp.length - 8);
    expect(webp.toString('latin1', 8, 16)).toBe('WEBPVP8X');
    expect(webp.includes(Buffer.from('VP8L'))).toBe(true);
  });

  it('makes an MP4 starting with an ftyp box', () => {
    const mp4 = Buffer.from(sampleMedia('video', id));
    expect(mp4.toString('latin1', 4, 12)).toBe('ftypisom');
  });
});
