import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toReadable, type UploadSource } from './check-upload.ts';
import { EvidenceFileError } from './evidence-file-error.ts';
import type { FileStore, PutOptions, ReadRange, StoredFile, StoredFileStat } from './file-store.ts';
import { fileNotFound, invalidStorageKey, isTenantId, newStorageKey, parseStorageKey, uploadInterrupted } from './storage-key.ts';
const TEMP_SUFFIX = '.part';

export interface LocalDirectoryFileStoreOptions {
  /** Absolute path of the directory that holds every tenant's files; created if missing. */
  readonly directory: string;
}

/**
 * Files on a local disk, one directory per tenant, sharded by the key's first byte so no single
 * directory grows huge. `put` writes a hidden temp file beside the final one, fsyncs it, and only
 * then renames it into place (rename is atomic within a directory), so a crash or a refused upload
 * can leave at most a `.part` file, which `put` itself removes unless the process died.
 */
export class LocalDirectoryFileStore implements FileStore {
  readonly directory: string;

  constructor(options: LocalDirectoryFileStoreOptions) {
    if (!isAbsolute(options.directory)) throw new Error(`LocalDirectoryFileStore needs an absolute directory, got "${options.directory}"`);
    this.directory = resolve(options.directory);
  }

  get location(): string {
    return `directory ${this.directory}`;
  }

  async put(tenantId: string, source: UploadSource, options: PutOptions = {}): Promise<StoredFile> {
    const { key, shard, id } = newStorageKey(tenantId);
    const folder = join(this.directory, tenantId, shard);
    await mkdir(folder, { recursive: true, mode: 0o750 });
    const finalPath = join(folder, id);
    const tempPath = join(folder, `.${id}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);

    const handle = await open(tempPath, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    let diskError: unknown;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        writeAll(handle, chunk).then(
          () => callback(),
          (error: unknown) => {
            diskError = error;
            callback(error as Error);
          },
        );
      },
    });
    try {
      const stages = [toReadable(source), ...(options.through ?? []), sink] as const;
      await (options.signal === undefined ? pipeline([...stages]) : pipeline([...stages], { signal: options.signal }));
      await handle.sync();
      await handle.close();
      await rename(tempPath, finalPath);
      await syncDirectory(folder);
      return { key, size, sha256: hash.digest('hex') };
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      if (error instanceof EvidenceFileError || diskError !== undefined) throw error;
      // Anything else came from the source side: the client went away or the caller aborted.
      throw uploadInterrupted(key, error);
    }
  }

  async openRead(key: string, range: ReadRange = {}): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      const handle = await open(path, 'r');
      return handle.createReadStream({ start: range.start, end: range.end });
    } catch (error) {
      if (isMissing(error)) throw fileNotFound(key);
      throw error;
    }
  }

  async stat(key: string): Promise<StoredFileStat | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return { key, size: info.size, storedAt: info.mtime };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /**
   * Removes `.part` files that a crashed process left behind and that were last written before
   * `olderThan`. Run it at start-up (with a margin, in case another process is mid-upload).
   * Returns how many were removed.
   */
  async removeAbandonedTempFiles(olderThan: Date): Promise<number> {
    let removed = 0;
    for (const tenant of await listDirectory(this.directory)) {
      if (!isTenantId(tenant)) continue;
      for (const shard of await listDirectory(join(this.directory, tenant))) {
        const folder = join(this.directory, tenant, shard);
        for (const name of await listDirectory(folder)) {
          if (!name.startsWith('.') || !name.endsWith(TEMP_SUFFIX)) continue;
          const info = await stat(join(folder, name)).catch(() => undefined);
          if (info !== undefined && info.mtime < olderThan) {
            await rm(join(folder, name), { force: true });
            removed++;
          }
        }
      }
    }
    return removed;
  }

  private pathOf(key: string): string {
    parseStorageKey(key);
    const path = join(this.directory, ...key.split('/'));
    // The pattern already rules out traversal; this keeps it true if the pattern is ever loosened.
    if (!path.startsWith(this.directory + sep)) throw invalidStorageKey('key');
    return path;
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  // A write may be short (a signal, a nearly full disk); carry on from where it stopped.
  let written = 0;
  while (written < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
    written += bytesWritten;
  }
}

async function syncDirectory(folder: string): Promise<void> {
  // The rename is durable only once the directory entry is on disk too.
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function listDirectory(path: string): Promise<string[]> {
  return readdir(path).catch((error: unknown) => {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  });
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
