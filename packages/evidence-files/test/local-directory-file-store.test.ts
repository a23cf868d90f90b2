import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDirectoryFileStore } from '../src/index.ts';
import * as sample from './sample-files.ts';

let directory: string;
let store: LocalDirectoryFileStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'attest-evidence-files-'));
  store = new LocalDirectoryFileStore({ directory });
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Every file under the store's directory, temp files included. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

// What only the local directory store does; what every store does is in file-store-contract.test.ts.
describe('LocalDirectoryFileStore', () => {
  it('writes each file at its key under the directory, and says which directory', async () => {
    const stored = await store.put('tenant-a', sample.gif());
    expect(await filesOnDisk()).toEqual([join(directory, ...stored.key.split('/'))]);
    expect(store.location).toBe(`directory ${directory}`);
  });

  it('removes temp files a crashed process left behind, and nothing else', async () => {
    const kept = await store.put('tenant-a', sample.gif());
    const [tenant, shard] = kept.key.split('/');
    const abandoned = join(directory, tenant ?? '', shard ?? '', '.0123abcd0123abcd0123abcd0123abcd.ffffffff.part');
    await writeFile(abandoned, 'half a file');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(abandoned, anHourAgo, anHourAgo);
    expect(await store.removeAbandonedTempFiles(new Date(Date.now() - 60_000))).toBe(1);
    expect(await filesOnDisk()).toEqual([join(directory, ...kept.key.split('/'))]);
  });

  it('refuses a relative directory, so files never land wherever the process happens to run', () => {
    expect(() => new LocalDirectoryFileStore({ directory: 'evidence' })).toThrow(/absolute/);
  });
});
