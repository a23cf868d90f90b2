import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { FileStore } from '@attest/evidence-files';
import type { EvidenceFileRow } from './find-evidence-file.ts';
import { toUploadAppError } from './to-upload-app-error.ts';

/**
 * How a route hands a file over: `download` always as an attachment (the learner's own files);
 * `view-where-safe` inline when a browser can show the type safely (images, PDF, audio, video),
 * as the assessor opens them, and as an attachment otherwise.
 */
export type EvidenceFileDisposition = 'download' | 'view-where-safe';

/** The types a browser shows without running anything of the file's; judged by content at upload, never by the name. */
const VIEWABLE_TYPE = /^(image\/(png|jpeg|gif|webp)|application\/pdf|audio\/|video\/)/;

/**
 * Streams one stored evidence file as the response: the type the content was recognised as (never
 * one guessed from the name), its size, no sniffing, and a CSP under which nothing in the file may
 * run or load anything. A store that cannot open the file answers through the one error type.
 */
export async function serveEvidenceFile(res: Response, fileStore: FileStore, file: EvidenceFileRow, disposition: EvidenceFileDisposition): Promise<void> {
  let stream;
  try {
    stream = await fileStore.openRead(file.storageKey);
  } catch (error) {
    throw toUploadAppError(error);
  }
  const isInline = disposition === 'view-where-safe' && VIEWABLE_TYPE.test(file.mediaType);
  if (isInline) res.set('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  else res.attachment(file.name);
  res.set({
    'content-type': file.mediaType,
    'content-length': String(file.size),
    'x-content-type-options': 'nosniff',
    // PDF viewers refuse to open in a sandbox, so a PDF shown inline goes without it; a download keeps it.
    'content-security-policy': isInline && file.mediaType === 'application/pdf' ? "default-src 'none'" : "default-src 'none'; sandbox",
  });
  await pipeline(stream, res);
}
