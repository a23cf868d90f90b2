// Follows the top-level boxes of an ISO BMFF file (ISO/IEC 14496-12 §4.2: 32-bit size, type,
// optional 64-bit `largesize`, size 0 = "to the end of the file") as bytes stream past. A file
// whose last box claims more bytes than arrived was cut off: the commonest damage to a recording.
export class IsoBoxWalker {
  private nextBoxAt = 0;
  private offset = 0;
  private header: number[] = [];
  private isRestOfFile = false;
  private isMalformed = false;

  push(chunk: Uint8Array): void {
    const chunkStart = this.offset;
    this.offset += chunk.length;
    while (!this.isRestOfFile && !this.isMalformed) {
      if (!this.collectHeader(chunk, chunkStart, 8)) return;
      const size32 = this.header.slice(0, 4).reduce((value, byte) => value * 256 + byte, 0);
      let size = size32;
      if (size32 === 1) {
        if (!this.collectHeader(chunk, chunkStart, 16)) return;
        size = this.header.slice(8, 16).reduce((value, byte) => value * 256 + byte, 0);
      }
      if (size32 === 0) {
        this.isRestOfFile = true;
        return;
      }
      const type = String.fromCharCode(...this.header.slice(4, 8));
      if (size < this.header.length || !/^[\x20-\x7e\xa9]{4}$/.test(type)) {
        this.isMalformed = true;
        return;
      }
      this.nextBoxAt += size;
      this.header = [];
    }
  }

  /** True when the boxes end exactly where the stream ended. */
  isComplete(): boolean {
    return !this.isMalformed && (this.isRestOfFile || (this.header.length === 0 && this.nextBoxAt === this.offset));
  }

  private collectHeader(chunk: Uint8Array, chunkStart: number, length: number): boolean {
    while (this.header.length < length) {
      const index = this.nextBoxAt + this.header.length - chunkStart;
      if (index >= chunk.length) return false;
      this.header.push(chunk[index] ?? 0);
    }
    return true;
  }
}
