import type { UploadSource } from './check-upload.ts';
import type { FileStore, StoredFile } from './file-store.ts';
import { UploadInspector, type UploadInspection, type UploadInspectorOptions } from './upload-inspector.ts';

export interface StoreUploadOptions extends UploadInspectorOptions {
  readonly tenantId: string;
  readonly source: UploadSource;
  readonly signal?: AbortSignal;
}

export type StoredUpload = UploadInspection & StoredFile;

/**
 * Checks an upload while streaming it into the store: the file is stored only if every check
 * passes, and a refusal (`EvidenceFileError`) leaves nothing behind. What the tool server calls
 * for each file part of an upload request.
 */
export async function storeUpload(store: FileStore, options: StoreUploadOptions): Promise<StoredUpload> {
  const { tenantId, source, signal, ...inspectorOptions } = options;
  const inspector = new UploadInspector(inspectorOptions);
  const stored = await store.put(tenantId, source, signal === undefined ? { through: [inspector] } : { through: [inspector], signal });
  return { ...inspector.result, ...stored };
}
