import { crc32, deflateSync } from 'node:zlib';

// A real PNG, built here so tests and benches need no image file. No test-runner imports: the
// benches load it outside Vitest.

const u32be = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
};

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), typed, u32be(crc32(typed))]);
}

/** A complete 1×1 PNG (signature, IHDR, IDAT, IEND) of the given colour; a different colour is different bytes. */
export function pngBytes(red = 200, green = 40, blue = 40): Buffer {
  const header = Buffer.concat([u32be(1), u32be(1), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(Buffer.from([0, red, green, blue]))), pngChunk('IEND', Buffer.alloc(0))]);
}
