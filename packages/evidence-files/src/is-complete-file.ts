import type { FileType } from './file-types.ts';
import { ascii, u32le } from './sniff-content.ts';

export interface CompletenessFacts {
  readonly totalBytes: number;
  /** The last bytes of the stream (at least `TAIL_BYTES` when the file is that long). */
  readonly tail: Uint8Array;
  /** The first bytes of the stream. */
  readonly head: Uint8Array;
  /** From `IsoBoxWalker`, for the ISO BMFF types. */
  readonly isIsoBoxChainComplete: boolean;
}

/** Enough tail for a ZIP end-of-central-directory record with the longest comment (APPNOTE §4.3.16). */
export const TAIL_BYTES = 22 + 0xffff;

/**
 * Whether a file ends where its own format says it ends. Catches uploads cut short by a client
 * that still closed the request cleanly. Formats without a reliable end marker (MP3, WebM from
 * MediaRecorder, text) are taken as complete.
 */
export function isCompleteFile(type: FileType, facts: CompletenessFacts): boolean {
  const { tail, totalBytes } = facts;
  switch (type) {
    case 'png':
      // PNG §5.6: the last chunk is IEND, whose length and CRC are fixed.
      return ascii(tail, tail.length - 12, 12) === '\0\0\0\0IEND\xaeB`\x82';
    case 'pdf':
      // ISO 32000-1 §7.5.5: the file ends with %%EOF; readers search the last 1024 bytes for it.
      return ascii(tail, Math.max(0, tail.length - 1024), 1024).includes('%%EOF');
    case 'gif':
      // GIF89a §27: the trailer byte 0x3B.
      return tail[tail.length - 1] === 0x3b;
    case 'jpeg':
      // ITU T.81 B.2.1: EOI (FF D9); some cameras append trailers, so look in the whole tail.
      return hasBytes(tail, [0xff, 0xd9]);
    case 'wav':
    case 'webp': {
      // RIFF: bytes 4–8 give the length of what follows; streaming writers leave 0 or all ones.
      const declared = u32le(facts.head, 4);
      return declared === 0 || declared === 0xffffffff || totalBytes >= declared + 8;
    }
    case 'heic':
    case 'm4a':
    case 'mp4':
    case 'mov':
      return facts.isIsoBoxChainComplete;
    case 'ogg': {
      // RFC 3533 §6: the last page of a logical stream has the end-of-stream flag (0x04).
      const lastPage = lastIndexOf(tail, [0x4f, 0x67, 0x67, 0x53]);
      return lastPage !== -1 && ((tail[lastPage + 5] ?? 0) & 0x04) !== 0;
    }
    case 'docx':
    case 'xlsx':
    case 'pptx':
    case 'odt':
    case 'zip':
      // APPNOTE §4.3.16: every ZIP ends with an end-of-central-directory record.
      return hasBytes(tail, [0x50, 0x4b, 0x05, 0x06]);
    default:
      return true;
  }
}

function lastIndexOf(bytes: Uint8Array, pattern: readonly number[]): number {
  for (let at = bytes.length - pattern.length; at >= 0; at--) {
    if (pattern.every((byte, i) => bytes[at + i] === byte)) return at;
  }
  return -1;
}

const hasBytes = (bytes: Uint8Array, pattern: readonly number[]): boolean => lastIndexOf(bytes, pattern) !== -1;
