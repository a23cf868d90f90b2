import type { CleanFileName } from './clean-file-name.ts';
import { EvidenceFileError } from './evidence-file-error.ts';
import { EVIDENCE_FILE_KIND_RULES, type EvidenceFileKind } from './evidence-file-kinds.ts';
import { FILE_TYPES, fileTypeOfExtension, fileTypeOfMimeType, isAcceptedFileType, type AcceptedFileType, type FileType } from './file-types.ts';

export interface FileTypeClaims {
  readonly name: CleanFileName;
  /** The Content-Type the client declared for the file, if any. */
  readonly declaredMimeType?: string | undefined;
  readonly kind: EvidenceFileKind;
}

/**
 * Decides whether content of type `detected` may be stored under these claims. The content is the
 * truth; the name and the declared MIME type must agree with it, and the evidence kind must allow
 * it. Throws `EvidenceFileError` (type_mismatch / unsupported_media_type) with a message that names
 * both what the file claims to be and what it is.
 */
export function judgeFileType(detected: FileType, claims: FileTypeClaims): AcceptedFileType {
  const { fileName, extension } = claims.name;
  const actual = FILE_TYPES[detected];
  const params = { fileName, detectedType: detected };

  if (extension !== undefined && !actual.extensions.includes(extension)) {
    const claimed = fileTypeOfExtension(extension);
    if (claimed !== undefined && isAcceptedFileType(claimed)) {
      throw new EvidenceFileError('type_mismatch', `${fileName} is not ${FILE_TYPES[claimed].label}: its content is ${actual.label}.`, { params: { ...params, claimedType: claimed, claimedBy: 'extension' } });
    }
    const rename = isAcceptedFileType(detected) ? ` Its content is ${actual.label}: if that is right, rename it to end in .${actual.extensions[0] ?? ''}.` : '';
    throw new EvidenceFileError('unsupported_media_type', `${fileName}: files ending in .${extension} are not accepted.${rename}`, { params: { ...params, extension } });
  }

  if (claims.declaredMimeType !== undefined) {
    const essence = claims.declaredMimeType.split(';')[0]?.trim().toLowerCase() ?? '';
    const claimed = fileTypeOfMimeType(essence);
    if (claimed !== undefined && !actual.mimeTypes.includes(essence)) {
      throw new EvidenceFileError('type_mismatch', `${fileName} was sent as ${FILE_TYPES[claimed].label}, but its content is ${actual.label}.`, { params: { ...params, claimedType: claimed, claimedBy: 'mime-type', declaredMimeType: essence } });
    }
  }

  const rule = EVIDENCE_FILE_KIND_RULES[claims.kind];
  const accepted = rule.allowedTypes.map((type) => FILE_TYPES[type].shortName).join(', ');
  if (!isAcceptedFileType(detected) || !rule.allowedTypes.includes(detected)) {
    const what = detected === 'unknown' ? 'not a type of file we recognise' : actual.label;
    throw new EvidenceFileError('unsupported_media_type', `${fileName} is ${what}, which cannot be uploaded as ${rule.label}. Accepted: ${accepted}.`, { params: { ...params, kind: claims.kind, allowedTypes: rule.allowedTypes } });
  }
  return detected;
}
