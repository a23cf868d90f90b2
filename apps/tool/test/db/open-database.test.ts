import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase } from '../../src/db/index.ts';

describe('the embedded database directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'attest-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener while the first has it, and lets it in once closed', async () => {
    const dataDir = join(root, 'shared');
    const first = await openDatabase({ backend: 'pglite', dataDir });
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
    const connection = await openDatabase({ backend: 'pglite', dataDir });
    await connection.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
