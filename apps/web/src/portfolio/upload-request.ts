import { apiRoutes, pathOf, UPLOAD_LIMITS } from '@attest/contracts';
import { EVIDENCE_FILE_KIND_RULES, FILE_TYPES, type EvidenceFileKind } from '@attest/evidence-files/rules';
import { sessionExpiredMessage } from '../api/api-client.ts';

export interface UploadRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * One request per file, raw body: the server checks the content itself, so the type is only the
 * browser's claim, and the name travels percent-encoded because headers carry no arbitrary text.
 */
export function buildUploadRequest(options: { baseUrl: string; token: string; itemId: string; file: { name: string; type: string } }): UploadRequest {
  return {
    url: `${options.baseUrl}${pathOf(apiRoutes.addEvidenceFile, { id: options.itemId })}`,
    headers: {
      Authorization: `Bearer ${options.token}`,
      'Content-Type': options.file.type === '' ? 'application/octet-stream' : options.file.type,
      'X-File-Name': encodeURIComponent(options.file.name),
      Accept: 'application/json',
    },
  };
}

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

/** Sends one file with XMLHttpRequest, whose upload events (unlike fetch's) report progress. */
export function uploadFile(request: UploadRequest, file: Blob, onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size));
    const finish = () => {
      let body: unknown;
      try {
        body = xhr.responseText === '' ? undefined : JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.addEventListener('load', finish);
    xhr.addEventListener('error', () => resolve({ status: 0, body: undefined }));
    xhr.addEventListener('abort', () => resolve({ status: 0, body: { error: { code: 'aborted', message: 'the upload was cancelled.' } } }));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
