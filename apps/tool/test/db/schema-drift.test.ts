import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import drizzleConfig from '../../drizzle.config.ts';
import { migrationsFolder } from '../../src/db/index.ts';

const toolDir = fileURLToPath(new URL('../..', import.meta.url));

describe('the committed migrations', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'attest-drift-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('already contain every change in src/db/schema (run `db:generate` after editing the schema)', () => {
    cpSync(migrationsFolder, join(scratch, 'out'), { recursive: true });
    const schema = [drizzleConfig.schema ?? []].flat().map((path) => resolve(toolDir, path));
    // drizzle-kit resolves `out` against the working directory, so it runs in the scratch copy.
    writeFileSync(join(scratch, 'drizzle.config.mjs'), `export default ${JSON.stringify({ dialect: 'postgresql', schema, out: './out' })};`);
    const result = spawnSync(join(toolDir, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', 'drizzle.config.mjs'], { cwd: scratch, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('No schema changes');
    expect(readdirSync(join(scratch, 'out')).filter((name) => name.endsWith('.sql'))).toEqual(readdirSync(migrationsFolder).filter((name) => name.endsWith('.sql')));
  });
});
