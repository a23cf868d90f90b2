import type { FileType } from './file-types.ts';

// Content sniffing by magic bytes. Signatures follow the WHATWG MIME Sniffing standard
// (https://mimesniff.spec.whatwg.org/#matching-an-image-type-pattern and following sections)
// where it has one, and each format's own specification otherwise (cited beside the check).

/** How many leading bytes `sniffHead` needs to decide every type it can decide from the head. */
export const HEAD_BYTES = 4096;

/** A verdict from the head alone, or the name of the scan that must see the whole stream. */
export type HeadVerdict = FileType | 'zip-container' | 'text-or-unknown';

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));
const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean => signature.every((byte, i) => bytes[at + i] === byte);
const u32be = (b: Uint8Array, at: number): number => ((b[at] ?? 0) * 0x1000000) + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0));
const u32le = (b: Uint8Array, at: number): number => ((b[at + 3] ?? 0) * 0x1000000) + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0));
const u16le = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);

export function sniffHead(head: Uint8Array): HeadVerdict {
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF') return sniffRiff(ascii(head, 8, 4));
  if (ascii(head, 4, 4) === 'ftyp') return sniffIsoBmff(head);
  // QuickTime files written before the `ftyp` box existed start straight with a movie atom.
  if (['moov', 'mdat', 'wide', 'pnot'].includes(ascii(head, 4, 4))) return 'mov';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return sniffEbml(head);
  if (ascii(head, 0, 4) === 'OggS') return 'ogg';
  if (ascii(head, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 4))) return 'aiff';
  if (ascii(head, 0, 4) === 'fLaC') return 'flac';
  if (ascii(head, 0, 3) === 'ID3') return sniffAfterId3(head);
  if (isMp3FrameHeader(head, 0)) return 'mp3';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip-container';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'office-legacy';
  if (ascii(head, 0, 2) === 'MZ' || ascii(head, 0, 4) === '\x7fELF' || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(u32be(head, 0))) return 'executable';
  if (ascii(head, 0, 2) === '#!') return 'executable';
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, [0x1f, 0x8b, 0x08])) return 'gzip';
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return 'tiff';
  // "BM" alone would claim any text starting "BMW…": also require a known DIB header size.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return 'utf16-text';
  if (ascii(head, 0, 2) === 'BM' && [12, 40, 52, 56, 64, 108, 124].includes(u32le(head, 14)) && u32le(head, 6) === 0) return 'bmp';
  return 'text-or-unknown';
}

function sniffRiff(form: string): FileType {
  if (form === 'WAVE') return 'wav';
  if (form === 'WEBP') return 'webp';
  if (form === 'AVI ') return 'avi';
  return 'unknown';
}

// ISO/IEC 14496-12 §4.3: the `ftyp` box lists a major brand and compatible brands.
// HEIF brands: ISO/IEC 23008-12 Annex B; MP4 family: the MP4 Registration Authority's brand list.
const heicBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const heifGenericBrands = new Set(['mif1', 'msf1', 'mif2']);
const m4aBrands = new Set(['M4A ', 'M4B ', 'M4P ']);
const mp4Brands = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'mp71', 'avc1', 'dash', 'M4V ', 'M4VH', 'M4VP', '3gp4', '3gp5', '3gp6', '3g2a', 'f4v ', 'MSNV', 'XAVC', 'mmp4']);

function sniffIsoBmff(head: Uint8Array): FileType {
  const boxSize = Math.min(u32be(head, 0), head.length);
  const major = ascii(head, 8, 4);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= boxSize; at += 4) compatible.push(ascii(head, at, 4));
  if (major === 'avif' || major === 'avis') return 'avif';
  if (heicBrands.has(major)) return 'heic';
  if (heifGenericBrands.has(major)) return compatible.includes('avif') ? 'avif' : 'heic';
  if (major === 'qt  ') return 'mov';
  if (m4aBrands.has(major)) return 'm4a';
  if (mp4Brands.has(major)) return 'mp4';
  if (compatible.some((brand) => heicBrands.has(brand))) return 'heic';
  if (compatible.some((brand) => mp4Brands.has(brand))) return 'mp4';
  return 'unknown';
}

// Matroska/WebM: the EBML header's DocType element (ID 0x4282, RFC 8794 §11.2) says which.
function sniffEbml(head: Uint8Array): FileType {
  const window = head.subarray(0, 64);
  for (let at = 4; at + 3 < window.length; at++) {
    if (window[at] === 0x42 && window[at + 1] === 0x82) {
      const sizeByte = window[at + 2] ?? 0;
      if ((sizeByte & 0x80) === 0) continue;
      return ascii(window, at + 3, sizeByte & 0x7f) === 'webm' ? 'webm' : 'matroska';
    }
  }
  return 'matroska';
}

// An ID3v2 tag (id3.org, ID3v2.4 §3.1) may precede MP3 frames but also FLAC or AAC, so look past it.
function sniffAfterId3(head: Uint8Array): FileType {
  const tagSize = (((head[6] ?? 0) & 0x7f) << 21) | (((head[7] ?? 0) & 0x7f) << 14) | (((head[8] ?? 0) & 0x7f) << 7) | ((head[9] ?? 0) & 0x7f);
  const after = 10 + tagSize;
  if (after + 4 > head.length) return 'mp3';
  if (ascii(head, after, 4) === 'fLaC') return 'flac';
  return isMp3FrameHeader(head, after) ? 'mp3' : 'unknown';
}

// MPEG audio frame header: 11 sync bits, a valid version, layer III, a bitrate index that is
// neither "free" nor "bad", and a valid sample-rate index. ADTS AAC (layer 00) does not match.
function isMp3FrameHeader(bytes: Uint8Array, at: number): boolean {
  const b1 = bytes[at + 1] ?? 0;
  const b2 = bytes[at + 2] ?? 0;
  return bytes[at] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) === 0x02 && (b2 & 0xf0) !== 0xf0 && (b2 & 0xf0) !== 0x00 && (b2 & 0x0c) !== 0x0c;
}

/**
 * ODF 1.3 Part 2 §3.3: the first ZIP entry is an uncompressed `mimetype` holding the media type.
 * Read from the first local file header (APPNOTE.TXT §4.3.7).
 */
export function sniffOpenDocument(head: Uint8Array): FileType | undefined {
  if (u16le(head, 26) !== 8 || ascii(head, 30, 8) !== 'mimetype' || u16le(head, 8) !== 0) return undefined;
  const dataStart = 30 + 8 + u16le(head, 28);
  const mediaType = ascii(head, dataStart, Math.min(u32le(head, 18), 100));
  if (mediaType === 'application/vnd.oasis.opendocument.text') return 'odt';
  return mediaType.startsWith('application/vnd.oasis.opendocument.') ? 'opendocument-other' : undefined;
}

/** The bytes that decide whether text is really a web page, XML or SVG (WHATWG MIME Sniffing §7.1). */
export function sniffTextFlavour(head: Uint8Array): 'text' | 'html' | 'xml' | 'svg' {
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (at < head.length && [0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(head[at] ?? 0)) at++;
  const start = ascii(head, at, 64).toLowerCase();
  if (start.startsWith('<?xml')) return /<svg[\s>]/.test(ascii(head, at, head.length).toLowerCase()) ? 'svg' : 'xml';
  if (start.startsWith('<svg')) return 'svg';
  const htmlTags = ['!doctype html', 'html', 'head', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style', 'title', 'b', 'body', 'br', 'p', '!--'];
  for (const tag of htmlTags) {
    if (start.startsWith(`<${tag}`)) {
      const next = start.charAt(1 + tag.length);
      if (next === ' ' || next === '>' || next === '\t' || next === '\n' || next === '\r' || next === '\f' || tag === '!--') return 'html';
    }
  }
  return 'text';
}

export { u16le, u32be, u32le, ascii };
