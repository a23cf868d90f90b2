import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// What a newcomer meets at the terminal: `npm start -- --help` answers at once, and Ctrl-C stops
// the demo cleanly. A terminal's Ctrl-C signals the whole foreground process group, so the demo
// runs here in a group of its own (detached) and the group gets the signal, twice in a row as
// npm's forwarding adds a second one.

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(demoDir, '..', '..');
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function collect(child: ChildProcess, onOutput: (output: string) => void = () => {}): Promise<Finished> {
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onOutput(output);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('starting and stopping the demo', () => {
  it('prints its usage for --help and exits 0, without building or starting anything', async () => {
    const finished = await collect(spawn(process.execPath, [join(repositoryRoot, 'scripts', 'run.mjs'), 'demo', '--help'], { cwd: repositoryRoot }));
    expect(finished.code).toBe(0);
    expect(finished.output).toMatch(/^usage: npm start -- \[--tool-port 3000\] \[--emulator-port 3100\]/);
    expect(finished.output).toContain('--data-dir');
    expect(finished.output).not.toContain('[start]');
    expect(finished.output).not.toContain('[demo]');
  });

  it('stops both servers and exits 0 on Ctrl-C, even when the signal arrives twice at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-demo-signals-'));
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--tool-port', '0', '--emulator-port', '0', '--data-dir', dataDir], { cwd: demoDir, detached: true });
    let signalled = false;
    const finished = await collect(child, (output) => {
      if (signalled || !output.includes('Attest demo is ready')) return;
      signalled = true;
      // Ctrl-C as a terminal sends it (to the process group), then npm's forwarded copy.
      process.kill(-(child.pid as number), 'SIGINT');
      process.kill(-(child.pid as number), 'SIGINT');
    });
    expect(signalled).toBe(true);
    expect(finished.signal).toBeNull();
    expect(finished.code).toBe(0);
    expect(finished.output).toContain('[demo] SIGINT: stopping the tool and the emulator…');
    expect(finished.output).toContain('[demo] stopped.');
    // The LMS was saved on the way out, for the next start to continue with (src/saved-lms.ts).
    expect(JSON.parse(readFileSync(join(dataDir, 'demo-lms.json'), 'utf8'))).toMatchObject({ demo: { course: { title: 'Customer Service Level 2 — demo' } }, emulator: { format: 'attest-platform-emulator', version: 1 } });
    // Each start-up step says how long it took.
    expect(finished.output).toMatch(/\[demo\] Attest tool listening at http:\/\/localhost:\d+ \(embedded PostgreSQL; evidence files in directory \/\S+\) \(\d+\.\d s\)/);
    // A whole start with seeding, on a busy two-core machine.
  }, 300_000);
});
