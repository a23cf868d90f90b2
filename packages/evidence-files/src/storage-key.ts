import { randomBytes } from 'node:crypto';
import { EvidenceFileError } from './evidence-file-error.ts';

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY = /^([A-Za-z0-9_-]{1,64})\/([0-9a-f]{2})\/([0-9a-f]{32})$/;

/** A key split into its parts: `<tenantId>/<shard>/<id>`, the shard being the id's first byte. */
export interface StorageKey {
  readonly key: string;
  readonly tenantId: string;
  readonly shard: string;
  readonly id: string;
}

/**
 * A fresh random key under the tenant. Every store makes its keys here, so a key stays valid if
 * the files move from one store to another (local directory ↔ S3 bucket).
 */
export function newStorageKey(tenantId: string): StorageKey {
  if (!TENANT_ID.test(tenantId)) throw invalidStorageKey('tenant id');
  const id = randomBytes(16).toString('hex');
  const shard = id.slice(0, 2);
  return { key: `${tenantId}/${shard}/${id}`, tenantId, shard, id };
}

/** Splits a key this module made; anything else (`..`, `/`, NUL, a wrong shard) is `invalid_storage_key`. */
export function parseStorageKey(key: string): StorageKey {
  const match = KEY.exec(key);
  const [, tenantId, shard, id] = match ?? [];
  if (tenantId === undefined || shard === undefined || id === undefined || shard !== id.slice(0, 2)) throw invalidStorageKey('key');
  return { key, tenantId, shard, id };
}

export const isTenantId = (value: string): boolean => TENANT_ID.test(value);

export const invalidStorageKey = (what: string): EvidenceFileError =>
  new EvidenceFileError('invalid_storage_key', 'That file reference is not valid.', { params: { what }, logMessage: `refused a ${what} the store did not generate` });

export const fileNotFound = (key: string): EvidenceFileError => new EvidenceFileError('file_not_found', 'That file no longer exists.', { params: { key } });

/** What a store throws when the source side fails: the client went away or the caller aborted. */
export const uploadInterrupted = (key: string, cause: unknown): EvidenceFileError =>
  new EvidenceFileError('upload_incomplete', 'The upload stopped before the whole file arrived. Nothing was saved: please upload the file again.', { cause, logMessage: `upload to ${key} interrupted: ${String(cause)}` });
