import { crc32, deflateRawSync, deflateSync } from 'node:zlib';

// Tiny but structurally real files of every accepted type, built byte by byte from each format's
// specification, so the tests depend on no downloaded fixtures.

const text = (value: string): Buffer => Buffer.from(value, 'latin1');
const u16le = (value: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(value); return b; };
const u32le = (value: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(value); return b; };
const u32be = (value: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(value); return b; };

export function pdf(body = 'Observation record'): Buffer {
  return text(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% ${body}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([text(type), data]);
  return Buffer.concat([u32be(data.length), typed, u32be(crc32(typed))]);
}

export function png(): Buffer {
  const header = Buffer.concat([u32be(1), u32be(1), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(Buffer.from([0, 200, 40, 40]))), pngChunk('IEND', Buffer.alloc(0))]);
}

export function jpeg({ withEnd = true } = {}): Buffer {
  const segment = (marker: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([0xff, marker]), Buffer.from([(data.length + 2) >> 8, (data.length + 2) & 0xff]), data]);
  const parts = [
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.concat([text('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0])])),
    segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    segment(0xc0, Buffer.from([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    segment(0xc4, Buffer.concat([Buffer.from([0x00, 0, 1]), Buffer.alloc(14), Buffer.from([0])])),
    segment(0xc4, Buffer.concat([Buffer.from([0x10, 0, 1]), Buffer.alloc(14), Buffer.from([0])])),
    segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
    Buffer.from([0x00, 0x3f]),
  ];
  if (withEnd) parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** The classic 1×1 transparent GIF89a. */
export function gif(): Buffer {
  return Buffer.from('474946383961010001008000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
}

function riff(form: string, chunks: Buffer[]): Buffer {
  const body = Buffer.concat([text(form), ...chunks]);
  return Buffer.concat([text('RIFF'), u32le(body.length), body]);
}

function riffChunk(id: string, data: Buffer): Buffer {
  return Buffer.concat([text(id), u32le(data.length), data, data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function webp(): Buffer {
  // VP8L (lossless) 1×1: signature 0x2f, then 14-bit width-1, 14-bit height-1, alpha, version.
  return riff('WEBP', [riffChunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]))]);
}

export function wav(samples = 800): Buffer {
  const format = Buffer.concat([u16le(1), u16le(1), u32le(8000), u32le(16000), u16le(2), u16le(16)]);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin(i / 4) * 8000), i * 2);
  return riff('WAVE', [riffChunk('fmt ', format), riffChunk('data', data)]);
}

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([u32be(body.length + 8), text(type), body]);
}

function isoFile(major: string, compatible: string[], payload: Buffer = Buffer.alloc(64, 0x11)): Buffer {
  const ftyp = box('ftyp', text(major), u32be(0), ...compatible.map(text));
  const moov = box('moov', box('mvhd', Buffer.alloc(100)));
  return Buffer.concat([ftyp, moov, box('mdat', payload)]);
}

export const heic = (): Buffer => Buffer.concat([box('ftyp', text('heic'), u32be(0), text('mif1'), text('heic')), box('meta', Buffer.alloc(4), box('hdlr', Buffer.alloc(4), Buffer.alloc(4), text('pict'), Buffer.alloc(13))), box('mdat', Buffer.alloc(32, 7))]);
/** AVIF shares HEIF's generic `mif1` brand; only the compatible `avif` brand tells them apart. */
export const avif = (): Buffer => Buffer.concat([box('ftyp', text('mif1'), u32be(0), text('avif'), text('mif1')), box('meta', Buffer.alloc(4)), box('mdat', Buffer.alloc(16, 2))]);
export const m4a = (): Buffer => isoFile('M4A ', ['M4A ', 'mp42', 'isom']);
export const mp4 = (payload?: Buffer): Buffer => isoFile('isom', ['isom', 'iso2', 'avc1', 'mp41'], payload);
export const mov = (): Buffer => isoFile('qt  ', ['qt  ']);

export function mp3(frames = 3): Buffer {
  // ID3v2.4 header with an empty tag, then MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (417 bytes each).
  const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

// RFC 3533 §6: the page checksum is CRC-32 with polynomial 0x04c11db7, not reflected.
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

function oggPage(headerType: number, sequence: number, packet: Buffer): Buffer {
  const page = Buffer.concat([text('OggS'), Buffer.from([0, headerType]), Buffer.alloc(8), u32le(0x41545354), u32le(sequence), u32le(0), Buffer.from([1, packet.length]), packet]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

export function ogg({ withEnd = true } = {}): Buffer {
  const opusHead = Buffer.concat([text('OpusHead'), Buffer.from([1, 1]), u16le(312), u32le(48000), u16le(0), Buffer.from([0])]);
  const opusTags = Buffer.concat([text('OpusTags'), u32le(6), text('attest'), u32le(0)]);
  const pages = [oggPage(0x02, 0, opusHead), oggPage(0x00, 1, opusTags), oggPage(withEnd ? 0x04 : 0x00, 2, Buffer.from([0xfc, 0xff, 0xfe]))];
  return Buffer.concat(pages);
}

export function webm(docType = 'webm'): Buffer {
  const element = (id: number[], data: Buffer): Buffer => Buffer.concat([Buffer.from(id), Buffer.from([0x80 | data.length]), data]);
  const header = Buffer.concat([
    element([0x42, 0x86], Buffer.from([1])),
    element([0x42, 0xf7], Buffer.from([1])),
    element([0x42, 0xf2], Buffer.from([4])),
    element([0x42, 0xf3], Buffer.from([8])),
    element([0x42, 0x82], text(docType)),
    element([0x42, 0x87], Buffer.from([4])),
    element([0x42, 0x85], Buffer.from([2])),
  ]);
  // MediaRecorder writes the Segment with "unknown size" (all ones) because it streams.
  const segment = Buffer.concat([Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.alloc(40, 3)]);
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | header.length]), header, segment]);
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer | string;
  readonly isStored?: boolean;
}

/** A ZIP per APPNOTE.TXT: local headers, central directory, end record; deflated unless stored. */
export function zip(entries: readonly ZipEntry[], { withEnd = true } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const raw = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const method = entry.isStored === true ? 0 : 8;
    const data = method === 0 ? raw : deflateRawSync(raw);
    const common = Buffer.concat([u16le(20), u16le(0x0800), u16le(method), u16le(0), u16le(0x5821), u32le(crc32(raw)), u32le(data.length), u32le(raw.length), u16le(name.length), u16le(0)]);
    const local = Buffer.concat([u32le(0x04034b50), common, name, data]);
    centrals.push(Buffer.concat([u32le(0x02014b50), u16le(20), common, u16le(0), u16le(0), u16le(0), u32le(0), u32le(offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([u32le(0x06054b50), u16le(0), u16le(0), u16le(entries.length), u16le(entries.length), u32le(central.length), u32le(offset), u16le(0)]);
  return Buffer.concat([...locals, ...(withEnd ? [central, end] : [])]);
}

const contentTypes = (main: string, contentType: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="${contentType}"/></Types>`;
const rels = (main: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main}"/></Relationships>`;

export const docx = (): Buffer =>
  zip([
    { name: '[Content_Types].xml', data: contentTypes('word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') },
    { name: '_rels/.rels', data: rels('word/document.xml') },
    { name: 'word/document.xml', data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Reflective account</w:t></w:r></w:p></w:body></w:document>' },
  ]);

export const xlsx = (): Buffer =>
  zip([
    { name: '[Content_Types].xml', data: contentTypes('xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml') },
    { name: '_rels/.rels', data: rels('xl/workbook.xml') },
    { name: 'xl/workbook.xml', data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>' },
  ]);

export const pptx = (): Buffer =>
  zip([
    { name: '[Content_Types].xml', data: contentTypes('ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml') },
    { name: '_rels/.rels', data: rels('ppt/presentation.xml') },
    { name: 'ppt/presentation.xml', data: '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>' },
  ]);

export const odt = (mediaType = 'application/vnd.oasis.opendocument.text'): Buffer =>
  zip([
    { name: 'mimetype', data: mediaType, isStored: true },
    { name: 'content.xml', data: '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>' },
    { name: 'META-INF/manifest.xml', data: '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>' },
  ]);

export const plainText = (): Buffer => Buffer.from('Isolated the supply before fitting the consumer unit – checked with the voltage indicator. Café kitchen, 12 March.\n', 'utf8');
