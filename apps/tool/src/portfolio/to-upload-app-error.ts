import { isEvidenceFileError } from '@attest/evidence-files';
import type { EvidenceFileErrorCode } from '@attest/evidence-files';
import type { ErrorCode } from '../errors/app-error.ts';
import { AppError } from '../errors/app-error.ts';

const APP_CODE: Record<EvidenceFileErrorCode, ErrorCode> = {
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  type_mismatch: 'unsupported_media_type',
  empty_file: 'invalid_request',
  invalid_file_name: 'invalid_request',
  upload_incomplete: 'invalid_request',
  // A key the store did not generate is our bug, never the learner's.
  invalid_storage_key: 'internal',
  file_not_found: 'not_found',
};

/** The file package's refusal as the tool's one error type, keeping the package's precise message. */
export function toUploadAppError(error: unknown): unknown {
  if (!isEvidenceFileError(error)) return error;
  const code = APP_CODE[error.code];
  if (code === 'internal') return new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error, logMessage: error.message });
  return new AppError(code, error.userMessage, { cause: error, details: { fileError: error.code, ...error.params } });
}
