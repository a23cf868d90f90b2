export { checkUpload, type UploadSource } from './check-upload.ts';
export { cleanFileName, MAX_FILE_NAME_BYTES, type CleanFileName } from './clean-file-name.ts';
export { EvidenceFileError, evidenceFileErrorStatus, isEvidenceFileError, type EvidenceFileErrorCode, type EvidenceFileErrorParams } from './evidence-file-error.ts';
export { EVIDENCE_FILE_KIND_RULES, EVIDENCE_FILE_KINDS, type EvidenceFileKind } from './evidence-file-kinds.ts';
export type { FileStore, PutOptions, ReadRange, StoredFile, StoredFileStat } from './file-store.ts';
export { ACCEPTED_FILE_TYPES, FILE_TYPES, type AcceptedFileType, type FileType, type FileTypeInfo } from './file-types.ts';
export { judgeFileType, type FileTypeClaims } from './judge-file-type.ts';
export { LocalDirectoryFileStore, type LocalDirectoryFileStoreOptions } from './local-directory-file-store.ts';
// The S3 store is its own entry point (@attest/evidence-files/s3): the AWS SDK takes ~0.5 s to
// load, which a tool on the local directory (the default, and every start of the demo) need not pay.
export { storeUpload, type StoredUpload, type StoreUploadOptions } from './store-upload.ts';
export { formatBytes, UploadInspector, type UploadInspection, type UploadInspectorOptions } from './upload-inspector.ts';
export { acceptAttribute } from './rules.ts';
