// Decides, as bytes arrive, whether the whole stream is UTF-8 text without NUL bytes. Gives up
// (and stops spending time) at the first invalid byte, so binary uploads cost nothing here.
export class Utf8TextScanner {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private isStillText = true;

  push(chunk: Uint8Array): void {
    if (!this.isStillText) return;
    if (chunk.includes(0)) {
      this.isStillText = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.isStillText = false;
    }
  }

  /** Call once at the end of the stream: a multi-byte character cut off at the end is not text. */
  finish(): boolean {
    if (this.isStillText) {
      try {
        this.decoder.decode();
      } catch {
        this.isStillText = false;
      }
    }
    return this.isStillText;
  }
}
