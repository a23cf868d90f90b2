import { EvidenceFileError } from './evidence-file-error.ts';

export const MAX_FILE_NAME_BYTES = 255;

export interface CleanFileName {
  /** Exactly what the client sent; show it only escaped, never use it for anything else. */
  readonly originalName: string;
  /** Safe to show, to put in a Content-Disposition header and to compare extensions against. */
  readonly fileName: string;
  /** Lower case, no dot; undefined when the name has no extension-like ending ("v2.1" has none). */
  readonly extension: string | undefined;
}

// Control characters, bidi embeddings/overrides/isolates (which can make "gpj.exe" display as
// "exe.jpg") and invisible joiners: none of them belongs in a name a person reads.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Cleans a client-supplied file name. Directory parts are dropped (some browsers send
 * `C:\fakepath\photo.jpg`), but a name that climbs with `..` is refused: no honest browser sends one.
 * Names are never used on disk (the store generates keys), so this protects people, not paths.
 */
export function cleanFileName(originalName: string): CleanFileName {
  const segments = originalName.split(/[\\/]/);
  if (segments.some((segment) => segment.replace(unsafeCharacters, '').trim() === '..')) {
    throw new EvidenceFileError('invalid_file_name', 'The file name is a folder path, not a plain file name. Rename the file and upload it again.', { params: { reason: 'path' } });
  }
  const fileName = (segments.at(-1) ?? '')
    .replace(unsafeCharacters, '')
    .replace(loneSurrogates, '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim()
    // Windows drops trailing dots and spaces, so a name ending in them would change on download.
    .replace(/[. ]+$/, '');
  if (fileName === '') {
    throw new EvidenceFileError('invalid_file_name', 'The file has no usable name once unsafe characters are removed. Rename the file and upload it again.', { params: { reason: 'empty' } });
  }
  const bytes = new TextEncoder().encode(fileName).length;
  if (bytes > MAX_FILE_NAME_BYTES) {
    throw new EvidenceFileError('invalid_file_name', `The file name is too long (${bytes} bytes; the limit is ${MAX_FILE_NAME_BYTES}). Shorten it and upload the file again.`, { params: { reason: 'too_long', bytes, limitBytes: MAX_FILE_NAME_BYTES } });
  }
  return { originalName, fileName, extension: extensionOf(fileName) };
}

function extensionOf(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const candidate = fileName.slice(dot + 1);
  return /^[A-Za-z0-9]{1,10}$/.test(candidate) && /[A-Za-z]/.test(candidate) ? candidate.toLowerCase() : undefined;
}
