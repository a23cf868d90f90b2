// Walks a ZIP stream's local file headers (APPNOTE.TXT §4.3.7) as bytes arrive, keeping only the
// entry names that tell an Office Open XML package from any other ZIP. Entries written with a data
// descriptor (§4.3.9) do not state their size up front, so instead of skipping by size the scanner
// looks for every local header signature; nothing is decompressed.

const SIGNATURE = [0x50, 0x4b, 0x03, 0x04] as const;
const HEADER_BYTES = 30;
const MAX_NAME_BYTES = 1024;

export interface ZipEntryFacts {
  readonly entryCount: number;
  /** ECMA-376 Part 2 (ISO/IEC 29500-2) §10.1.2: a ZIP-based OPC package keeps its content types in `[Content_Types].xml`. */
  readonly hasContentTypes: boolean;
  /** Top-level folders seen (`word`, `xl`, `ppt`, `META-INF`…), for telling the Office formats apart. */
  readonly topFolders: ReadonlySet<string>;
  /** A `vbaProject.bin` part: a macro-enabled file (.docm/.xlsm/.pptm), whatever it is named. */
  readonly hasMacros: boolean;
}

export class ZipEntryScanner {
  private pending: Buffer = Buffer.alloc(0);
  private entryCount = 0;
  private hasContentTypes = false;
  private hasMacros = false;
  private readonly topFolders = new Set<string>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(chunk: Uint8Array): void {
    const bytes = this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([this.pending, chunk]);
    let at = 0;
    // A signature may be split across chunks: keep its first bytes for the next push.
    let keepFrom = Math.max(0, bytes.length - (SIGNATURE.length - 1));
    for (;;) {
      const found = bytes.indexOf(Buffer.from(SIGNATURE), at);
      if (found === -1) break;
      if (found + HEADER_BYTES > bytes.length) {
        keepFrom = Math.min(keepFrom, found);
        break;
      }
      const nameLength = bytes.readUInt16LE(found + 26);
      if (nameLength > 0 && nameLength <= MAX_NAME_BYTES) {
        if (found + HEADER_BYTES + nameLength > bytes.length) {
          keepFrom = Math.min(keepFrom, found);
          break;
        }
        this.record(bytes.subarray(found + HEADER_BYTES, found + HEADER_BYTES + nameLength));
      }
      at = found + SIGNATURE.length;
    }
    // Keep enough to complete a header split across chunks, but never a signature already read.
    this.pending = Buffer.from(bytes.subarray(Math.max(keepFrom, Math.min(at, bytes.length))));
  }

  get facts(): ZipEntryFacts {
    return { entryCount: this.entryCount, hasContentTypes: this.hasContentTypes, topFolders: this.topFolders, hasMacros: this.hasMacros };
  }

  private record(nameBytes: Uint8Array): void {
    const name = this.decoder.decode(nameBytes);
    this.entryCount++;
    if (name === '[Content_Types].xml') this.hasContentTypes = true;
    if (name.toLowerCase().endsWith('vbaproject.bin')) this.hasMacros = true;
    const slash = name.indexOf('/');
    if (slash > 0 && this.topFolders.size < 64) this.topFolders.add(name.slice(0, slash));
  }
}
