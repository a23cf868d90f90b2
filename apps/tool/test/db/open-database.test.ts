import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase } from '../../src/db/index.ts';

describe('the embedded database directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'attest-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // Starting from the harness's migrated dump skips initdb (seconds); first-run creation is tested in test/server.
  const template = new Blob([readFileSync(inject('attestPgliteTemplate'))]);

  it('refuses a second opener while the first has it, and lets it in once closed', async () => {
    const dataDir = join(root, 'shared');
    const first = await openDatabase({ backend: 'pglite', dataDir, loadDataDir: template });
    try {
      const second = openDatabase({ backend: 'pglite', dataDir });
      await expect(second).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(second).rejects.toThrow(/is in use by this process/);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openDatabase({ backend: 'pglite', dataDir });
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = join(root, 'stale');
    // A pid far above Linux's default pid_max (4194304 at most), so no process can hold it.
    writeFileSync(`${dataDir}.lock`, '99999999');
    const connection = await openDatabase({ backend: 'pglite', dataDir, loadDataDir: template });
    await connection.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
