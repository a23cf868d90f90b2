// One error type for everything a file upload or the file store can refuse. Callers branch on
// `code` (stable) and show `userMessage`; `params` carries the facts behind the message so a
// caller can render its own wording without parsing English.

export const evidenceFileErrorStatus = {
  /** The content is larger than the caller's limit; reading stopped just past the limit. */
  payload_too_large: 413,
  /** The content is of a type this kind of evidence does not accept (or of no type we recognise). */
  unsupported_media_type: 415,
  /** The upload has no bytes at all. */
  empty_file: 400,
  /** The file name is empty once cleaned, too long, or a path that climbs out of its folder. */
  invalid_file_name: 400,
  /** The content is one type but the file name's extension or the declared MIME type says another. */
  type_mismatch: 415,
  /** The upload stopped part-way (the connection dropped) or the file's own structure ends early. */
  upload_incomplete: 400,
  /** A storage key or tenant id that the store did not generate; never a user's fault. */
  invalid_storage_key: 400,
  /** No stored file has this key. */
  file_not_found: 404,
} as const;

export type EvidenceFileErrorCode = keyof typeof evidenceFileErrorStatus;

export type EvidenceFileErrorParams = Readonly<Record<string, string | number | readonly string[]>>;

export class EvidenceFileError extends Error {
  readonly code: EvidenceFileErrorCode;
  readonly userMessage: string;
  readonly params: EvidenceFileErrorParams;

  constructor(code: EvidenceFileErrorCode, userMessage: string, options: { params?: EvidenceFileErrorParams; logMessage?: string; cause?: unknown } = {}) {
    super(options.logMessage ?? userMessage, { cause: options.cause });
    this.name = 'EvidenceFileError';
    this.code = code;
    this.userMessage = userMessage;
    this.params = options.params ?? {};
  }

  /** The HTTP status a server should answer with. */
  get status(): number {
    return evidenceFileErrorStatus[this.code];
  }
}

export function isEvidenceFileError(error: unknown, code?: EvidenceFileErrorCode): error is EvidenceFileError {
  return error instanceof EvidenceFileError && (code === undefined || error.code === code);
}
