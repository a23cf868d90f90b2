import { RESUMABLE_UPLOADS_PATH, UPLOAD_LIMITS } from '@attest/contracts';
import { EVIDENCE_FILE_KIND_RULES, FILE_TYPES, type EvidenceFileKind } from '@attest/evidence-files/rules';
import { sessionExpiredMessage } from '../api/api-client.ts';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export const uploadLimitsText = `Up to ${UPLOAD_LIMITS.maxFilesPerItem} files per item, each at most ${formatBytes(UPLOAD_LIMITS.maxFileBytes)}, with a name of at most ${UPLOAD_LIMITS.maxNameBytes} bytes. Attest checks each file's content, not just its name.`;

/**
 * The most one file of this kind of evidence may hold: the server applies the smaller of the
 * per-file limit and the kind's own (add-evidence-file.ts), both read from the packages it reads them from.
 */
export function maxFileBytesFor(kind: EvidenceFileKind): number {
  return Math.min(UPLOAD_LIMITS.maxFileBytes, EVIDENCE_FILE_KIND_RULES[kind].defaultMaxBytes);
}

/** The kind's limits in words, shown by the file input before a file is picked. */
export function kindLimitsText(kind: EvidenceFileKind): string {
  const rules = EVIDENCE_FILE_KIND_RULES[kind];
  const types = [...new Set(rules.allowedTypes.map((type) => FILE_TYPES[type].shortName))].join(', ');
  const label = rules.label.charAt(0).toUpperCase() + rules.label.slice(1);
  return `${label} can be at most ${formatBytes(maxFileBytesFor(kind))} per file, of these types: ${types}.`;
}

/**
 * What is wrong with a file before it is sent, or null; the server checks again, this saves a wait
 * (and, for a file over the limit, the whole upload). Without a kind only the per-file limit applies.
 */
export function checkFileBeforeUpload(file: { name: string; size: number }, filesAlready: number, kind?: EvidenceFileKind): string | null {
  if (filesAlready >= UPLOAD_LIMITS.maxFilesPerItem) return `${file.name} was not added: this item already has ${UPLOAD_LIMITS.maxFilesPerItem} files, the most it can hold.`;
  if (file.size === 0) return `${file.name} is empty, so there is nothing to upload.`;
  const maxBytes = kind === undefined ? UPLOAD_LIMITS.maxFileBytes : maxFileBytesFor(kind);
  if (file.size > maxBytes) {
    const what = kind === undefined || maxBytes === UPLOAD_LIMITS.maxFileBytes ? 'a file' : EVIDENCE_FILE_KIND_RULES[kind].label;
    return `${file.name} is larger than ${formatBytes(maxBytes)}, the most ${what} can be.`;
  }
  if (new TextEncoder().encode(file.name).length > UPLOAD_LIMITS.maxNameBytes) return `The name of ${file.name.slice(0, 40)}… is too long; rename the file to under ${UPLOAD_LIMITS.maxNameBytes} bytes and try again.`;
  return null;
}

/**
 * The learner-facing message for a failed upload. The server's own message is the precise one
 * (it names the limit or the content it found), so it wins; the status fallbacks cover replies
 * without the agreed body, such as a proxy's 413 page.
 */
export function uploadErrorMessage(fileName: string, status: number, body: unknown): string {
  const message = readErrorMessage(body);
  if (status === 401) return sessionExpiredMessage;
  if (message !== null) return `${fileName} was not uploaded: ${message}`;
  if (status === 0) return `${fileName} was not uploaded: the connection was lost. Check your connection and try again.`;
  if (status === 413) return `${fileName} was not uploaded: it is larger than the ${formatBytes(UPLOAD_LIMITS.maxFileBytes)} limit.`;
  if (status === 415) return `${fileName} was not uploaded: Attest does not accept this type of file.`;
  return `${fileName} was not uploaded: something went wrong on the server (HTTP ${status}). Try again in a moment.`;
}

function readErrorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return null;
  const message = (error as { message: unknown }).message;
  return typeof message === 'string' && message.trim() !== '' ? message : null;
}

/** How long to wait before each retry of a dropped upload: about two minutes in all, for a phone between rooms. */
export const UPLOAD_RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000, 60_000];

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends one file with the tus protocol (decision 0027): when the connection drops, the client asks
 * the server how many bytes it kept and sends only the rest, retrying for about two minutes.
 * tus-js-client is loaded on the first upload, so a learner who only reads pays nothing for it.
 * Resolves with the last answer: the item with its new file, or the refusal (status 0: no answer).
 */
export async function uploadFile(
  options: { baseUrl: string; token: string; itemId: string; file: File },
  events: { onProgress: (loaded: number, total: number) => void; onConnectionLost?: () => void },
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  const { Upload } = await import('tus-js-client');
  const { file } = options;
  return new Promise((resolve) => {
    const upload = new Upload(file, {
      endpoint: `${options.baseUrl}${RESUMABLE_UPLOADS_PATH}`,
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      metadata: { itemId: options.itemId, filename: file.name, filetype: file.type === '' ? 'application/octet-stream' : file.type },
      retryDelays: UPLOAD_RETRY_DELAYS_MS,
      // Resuming after a reload would need the file picked again anyway; nothing is kept in storage.
      storeFingerprintForResuming: false,
      onProgress: (sent, total) => events.onProgress(sent, total),
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        // A refusal is final (409 and 423 are tus's "ask where we are" answers); no answer is a lost connection.
        const retry = status === 0 || status >= 500 || status === 409 || status === 423;
        if (retry) events.onConnectionLost?.();
        return retry;
      },
      onSuccess: ({ lastResponse }) => resolve({ status: lastResponse.getStatus(), body: parseBody(lastResponse.getBody()) }),
      onError: (error) => {
        const response = 'originalResponse' in error ? error.originalResponse : null;
        resolve(response ? { status: response.getStatus(), body: parseBody(response.getBody()) } : { status: 0, body: undefined });
      },
    });
    signal?.addEventListener('abort', () => {
      void upload.abort(true);
      resolve({ status: 0, body: { error: { code: 'aborted', message: 'the upload was cancelled.' } } });
    });
    upload.start();
  });
}
