// The browser-safe part of the package (no Node imports): the UI can use it to set `<input accept>`,
// warn about size before uploading and clean names the way the server will. The server's checks
// remain the authority.
import { EVIDENCE_FILE_KIND_RULES, type EvidenceFileKind } from './evidence-file-kinds.ts';
import { FILE_TYPES } from './file-types.ts';

export { cleanFileName, MAX_FILE_NAME_BYTES, type CleanFileName } from './clean-file-name.ts';
export { EvidenceFileError, evidenceFileErrorStatus, isEvidenceFileError, type EvidenceFileErrorCode, type EvidenceFileErrorParams } from './evidence-file-error.ts';
export { EVIDENCE_FILE_KIND_RULES, EVIDENCE_FILE_KINDS, type EvidenceFileKind } from './evidence-file-kinds.ts';
export { ACCEPTED_FILE_TYPES, FILE_TYPES, type AcceptedFileType, type FileType, type FileTypeInfo } from './file-types.ts';

/** The value for `<input type="file" accept="…">`: every extension and MIME type the kind accepts. */
export function acceptAttribute(kind: EvidenceFileKind): string {
  const tokens = EVIDENCE_FILE_KIND_RULES[kind].allowedTypes.flatMap((type) => [...FILE_TYPES[type].extensions.map((extension) => `.${extension}`), ...FILE_TYPES[type].mimeTypes]);
  return [...new Set(tokens)].join(',');
}
