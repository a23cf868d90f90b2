import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

// `run build` then `node dist/main.js`, as production starts the tool: no tsx, no TypeScript at run
// time. The bundle must still find what its sources find relative to themselves (the migrations,
// the standards folder), start on the embedded database, answer /readyz, log JSON and stop cleanly.

const toolDir = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'attest-prod-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// A fresh PGlite is created and migrated before the server listens: a minute or more on two busy
// cores (see main.test.ts), so the child gets 240 s and the test 300 s.
it('builds dist/main.js and runs it with plain node: JSON log lines, /readyz 200, exit 0 on SIGTERM', async () => {
  const built = spawnSync(process.execPath, ['build.mjs'], { cwd: toolDir, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);

  const child = spawn(process.execPath, ['dist/main.js'], { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', PORT: '0', DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const url = /Attest tool listening at (http:\/\/localhost:\d+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    child.once('close', (code) => reject(new Error(`dist/main.js exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const url = await listening;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    // Without ATTEST_METRICS_TOKEN there is no /metrics.
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited, stderr).toBe(0);
  clearTimeout(killer);
  const lines = stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.find((line) => line.route === '/readyz')).toMatchObject({ level: 30, req: { method: 'GET', path: '/readyz' }, res: { statusCode: 200 } });
  expect(lines.at(-1)).toMatchObject({ msg: 'SIGTERM: stopping…' });
}, 300_000);
