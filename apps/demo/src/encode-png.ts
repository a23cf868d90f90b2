import { crc32, deflateSync } from 'node:zlib';

export type Rgb = readonly [number, number, number];

export interface PngPicture {
  readonly width: number;
  readonly height: number;
  /** The colour of one pixel, each channel 0–255. */
  pixel(x: number, y: number): Rgb;
  /** zlib level: 0 stores the pixels as they are, for a file of a predictable, large size. */
  readonly compression?: number;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A real PNG (8-bit truecolour, no interlace; PNG spec §11.2.2), so seeded and uploaded "photos"
 * pass the tool's check of a file's content rather than only carrying a .png name.
 */
export function encodePng(picture: PngPicture): Buffer {
  const { width, height } = picture;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`A PNG needs a positive whole size, not ${width}×${height}`);
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    // Filter type 0 (None) at the start of every scanline.
    raw[y * stride] = 0;
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = picture.pixel(x, y);
      const at = y * stride + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: picture.compression ?? 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
