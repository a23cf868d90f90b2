import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const toolDir = fileURLToPath(new URL('../..', import.meta.url));
const dataDirs: string[] = [];

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node --import tsx src/main.ts` (what `tsx src/main.ts` does, minus the wrapper process that
 * would stand between our signal and the server) with exactly these variables plus PATH.
 */
function runMain(env: Record<string, string>, options: { stopWhenListening?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let isSignalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (options.stopWhenListening && !isSignalled && /listening at/.test(stdout)) {
        isSignalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-main-'));
  dataDirs.push(dir);
  return dir;
}

describe('main', () => {
  it('stops with exit code 78 and names the variable when the configuration is wrong', async () => {
    const run = await runMain({ PORT: 'eighty', DATA_DIR: freshDataDir() });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('PORT: must be a whole number from 0 to 65535');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with exit code 69 and says which database it could not reach', async () => {
    const run = await runMain({ DATABASE_URL: 'postgres://attest@127.0.0.1:1/attest', PORT: '0', DATA_DIR: freshDataDir() });
    expect(run.code).toBe(69);
    expect(run.stderr).toContain('Cannot connect to PostgreSQL at postgres://attest@127.0.0.1:1/attest');
  });

  // A fresh PGlite is created and migrated before the server listens: on two busy cores that can take
  // a minute or more (a CI run at load 18 once took over 60 s). The child is killed at 240 s, so
  // waiting 300 s lets the run end with its own output instead of a bare timeout.
  it('starts on the embedded database, prints its URL, and exits cleanly on SIGTERM', async () => {
    const run = await runMain({ PORT: '0', DATA_DIR: freshDataDir() }, { stopWhenListening: true });
    expect(run.stdout, run.stderr).toMatch(/Attest tool listening at http:\/\/localhost:\d+/);
    expect(run.stdout, run.stderr).toContain('SIGTERM: stopping');
    expect(run.code).toBe(0);
  }, 300_000);
});
