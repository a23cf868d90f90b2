import { Transform, type TransformCallback } from 'node:stream';
import { cleanFileName, type CleanFileName } from './clean-file-name.ts';
import { EvidenceFileError } from './evidence-file-error.ts';
import { EVIDENCE_FILE_KIND_RULES, EVIDENCE_FILE_KINDS, type EvidenceFileKind } from './evidence-file-kinds.ts';
import { FILE_TYPES, type AcceptedFileType, type FileType } from './file-types.ts';
import { isCompleteFile, TAIL_BYTES } from './is-complete-file.ts';
import { IsoBoxWalker } from './iso-box-walker.ts';
import { HEAD_BYTES, sniffHead, sniffOpenDocument, sniffTextFlavour, type HeadVerdict } from './sniff-content.ts';
import { judgeFileType } from './judge-file-type.ts';
import { Utf8TextScanner } from './utf8-text-scanner.ts';
import { ZipEntryScanner } from './zip-entry-scanner.ts';

export interface UploadInspectorOptions {
  /** The file name as the client sent it. */
  readonly fileName: string;
  /** The Content-Type the client declared for the file part, if any. */
  readonly declaredMimeType?: string | undefined;
  readonly kind: EvidenceFileKind;
  /** Defaults to the kind's `defaultMaxBytes`. */
  readonly maxBytes?: number | undefined;
}

export interface UploadInspection {
  readonly originalName: string;
  /** Cleaned; the name to show and to offer on download. */
  readonly fileName: string;
  readonly type: AcceptedFileType;
  /** What to serve the file as: decided by its content, never by the client. */
  readonly mimeType: string;
  readonly size: number;
}

/**
 * A pass-through stream that checks an upload while it flows to storage: it errors as soon as the
 * size passes the limit (so nothing past it is read), as soon as the first bytes show a type that
 * cannot be accepted, and at the end if the file is empty, cut short, or not what it claims.
 * Put it between the request and `FileStore.put`; an error leaves nothing stored.
 *
 * The constructor throws `invalid_file_name` before any byte is read.
 */
export class UploadInspector extends Transform {
  readonly name: CleanFileName;
  readonly maxBytes: number;
  private readonly options: UploadInspectorOptions;
  private size = 0;
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private head: Buffer | undefined;
  private headVerdict: HeadVerdict | undefined;
  private tailChunks: Buffer[] = [];
  private tailLength = 0;
  private readonly text = new Utf8TextScanner();
  private readonly zip = new ZipEntryScanner();
  private readonly boxes = new IsoBoxWalker();
  private inspection: UploadInspection | undefined;

  constructor(options: UploadInspectorOptions) {
    super();
    // A wrong kind or limit is the caller's bug, not the user's: fail loudly, not with a 4xx.
    if (!(EVIDENCE_FILE_KINDS as readonly string[]).includes(options.kind)) throw new TypeError(`Unknown evidence file kind "${String(options.kind)}"`);
    if (options.maxBytes !== undefined && !(Number.isSafeInteger(options.maxBytes) && options.maxBytes > 0)) throw new RangeError(`maxBytes must be a positive integer, got ${options.maxBytes}`);
    this.options = options;
    this.name = cleanFileName(options.fileName);
    this.maxBytes = options.maxBytes ?? EVIDENCE_FILE_KIND_RULES[options.kind].defaultMaxBytes;
  }

  /** Available once the stream has finished without error. */
  get result(): UploadInspection {
    if (this.inspection === undefined) throw new Error('UploadInspector.result read before the upload was fully inspected');
    return this.inspection;
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.size += bytes.length;
      if (this.size > this.maxBytes) throw this.tooLarge();
      this.observe(bytes);
      callback(null, bytes);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.size === 0) {
        throw new EvidenceFileError('empty_file', `${this.name.fileName} is empty. Choose the file again and check that it opens on your device.`, { params: { fileName: this.name.fileName } });
      }
      this.decideHead();
      const detected = this.finalType();
      const type = judgeFileType(detected, { name: this.name, declaredMimeType: this.options.declaredMimeType, kind: this.options.kind });
      const isComplete = isCompleteFile(type, { totalBytes: this.size, head: this.head ?? Buffer.alloc(0), tail: Buffer.concat(this.tailChunks), isIsoBoxChainComplete: this.boxes.isComplete() });
      if (!isComplete) {
        throw new EvidenceFileError('upload_incomplete', `${this.name.fileName} was not received in full: it ends part-way through ${FILE_TYPES[type].label}. Upload it again.`, { params: { fileName: this.name.fileName, detectedType: type } });
      }
      this.inspection = { originalName: this.name.originalName, fileName: this.name.fileName, type, mimeType: FILE_TYPES[type].mimeType, size: this.size };
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private observe(bytes: Buffer): void {
    if (this.head === undefined) {
      this.headChunks.push(bytes);
      this.headLength += bytes.length;
      if (this.headLength >= HEAD_BYTES) {
        this.decideHead();
        // Refuse early what the head alone decides, so a wrong 500 MB file is not read to the end.
        if (this.headVerdict !== 'zip-container' && this.headVerdict !== 'text-or-unknown' && this.headVerdict !== undefined) {
          judgeFileType(this.headVerdict, { name: this.name, declaredMimeType: this.options.declaredMimeType, kind: this.options.kind });
        }
      }
    }
    this.text.push(bytes);
    if (this.headVerdict === undefined || this.headVerdict === 'zip-container') this.zip.push(bytes);
    if (this.headVerdict === undefined || isIsoBmff(this.headVerdict)) this.boxes.push(bytes);
    this.tailChunks.push(bytes);
    this.tailLength += bytes.length;
    while (this.tailChunks.length > 1 && this.tailLength - (this.tailChunks[0]?.length ?? 0) >= TAIL_BYTES) {
      this.tailLength -= this.tailChunks.shift()?.length ?? 0;
    }
  }

  private decideHead(): void {
    if (this.head !== undefined) return;
    this.head = Buffer.concat(this.headChunks).subarray(0, HEAD_BYTES);
    this.headChunks = [];
    this.headVerdict = sniffHead(this.head);
  }

  private finalType(): FileType {
    const verdict = this.headVerdict ?? 'unknown';
    const head = this.head ?? Buffer.alloc(0);
    if (verdict === 'zip-container') {
      const openDocument = sniffOpenDocument(head);
      if (openDocument !== undefined) return openDocument;
      const { hasContentTypes, topFolders, hasMacros } = this.zip.facts;
      const office = (['word', 'xl', 'ppt'] as const).filter((folder) => topFolders.has(folder));
      if (hasContentTypes && hasMacros) return 'office-macro';
      if (hasContentTypes && office.length === 1) return ({ word: 'docx', xl: 'xlsx', ppt: 'pptx' } as const)[office[0] ?? 'word'];
      return 'zip';
    }
    if (verdict === 'text-or-unknown') return this.text.finish() ? sniffTextFlavour(head) : 'unknown';
    return verdict;
  }

  private tooLarge(): EvidenceFileError {
    return new EvidenceFileError('payload_too_large', `${this.name.fileName} is larger than the ${formatBytes(this.maxBytes)} limit for ${EVIDENCE_FILE_KIND_RULES[this.options.kind].label}.`, {
      params: { fileName: this.name.fileName, limitBytes: this.maxBytes, kind: this.options.kind },
    });
  }
}

const isIsoBmff = (verdict: HeadVerdict): boolean => verdict === 'heic' || verdict === 'm4a' || verdict === 'mp4' || verdict === 'mov' || verdict === 'avif';

/** "25 MB", "1.5 GB", "512 bytes": binary units, as file managers show them. */
export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB'] as const;
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit: string = units[0];
  for (const next of units.slice(1)) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
