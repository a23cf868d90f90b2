import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadInspector, type UploadInspection, type UploadInspectorOptions } from './upload-inspector.ts';

export type UploadSource = Readable | AsyncIterable<Uint8Array> | Uint8Array;

/** Inspects an upload without storing it (e.g. to validate before a dry run). Throws `EvidenceFileError`. */
export async function checkUpload(source: UploadSource, options: UploadInspectorOptions): Promise<UploadInspection> {
  const inspector = new UploadInspector(options);
  const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  await pipeline(toReadable(source), inspector, discard);
  return inspector.result;
}

export function toReadable(source: UploadSource): Readable {
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) return Readable.from([source], { objectMode: false });
  return Readable.from(source, { objectMode: false });
}
