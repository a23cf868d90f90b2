import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { drawReturnsBoardPhoto } from '../src/demo-evidence.ts';
import { encodePng } from '../src/encode-png.ts';

interface Chunk {
  type: string;
  data: Buffer;
  isCrcRight: boolean;
}

/** Reads a PNG's chunks back, checking each CRC, as a decoder would. */
function readChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    chunks.push({ type: typeAndData.subarray(0, 4).toString('ascii'), data: typeAndData.subarray(4), isCrcRight: png.readUInt32BE(at + 8 + length) === crc32(typeAndData) });
    at += 12 + length;
  }
  return chunks;
}

describe('encodePng', () => {
  it('writes the PNG signature, a truecolour header of the given size and valid chunk checksums', () => {
    const png = encodePng({ width: 3, height: 2, pixel: () => [0, 0, 0] });
    const chunks = readChunks(png);

    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((chunk) => chunk.isCrcRight)).toBe(true);
    const header = chunks[0]?.data as Buffer;
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([3, 2, 8, 2]);
  });

  it('stores each pixel where the picture puts it, after a filter byte per row', () => {
    const png = encodePng({ width: 2, height: 2, pixel: (x, y) => [x * 100, y * 100, 7] });
    const raw = inflateSync(readChunks(png).find((chunk) => chunk.type === 'IDAT')?.data as Buffer);

    expect([...raw]).toEqual([0, 0, 0, 7, 100, 0, 7, 0, 0, 100, 7, 100, 100, 7]);
  });

  it('refuses a size that no PNG can have', () => {
    expect(() => encodePng({ width: 0, height: 10, pixel: () => [0, 0, 0] })).toThrow(/positive whole size/);
  });

  it('draws the demo photo as a picture with more than one colour, small enough to seed quickly', () => {
    const photo = drawReturnsBoardPhoto(120, 80);
    const raw = inflateSync(readChunks(photo).find((chunk) => chunk.type === 'IDAT')?.data as Buffer);
    const colours = new Set<string>();
    for (let at = 0; at < raw.length; at += 3) colours.add(raw.subarray(at, at + 3).toString('hex'));

    expect(colours.size).toBeGreaterThan(5);
    expect(drawReturnsBoardPhoto().length).toBeLessThan(200_000);
  });
});
