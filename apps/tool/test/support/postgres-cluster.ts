// A throwaway PostgreSQL cluster for the test run, started from the Debian server binaries when CI
// has not given us TEST_DATABASE_URL. Runs as the `postgres` user because initdb refuses root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  readonly adminUrl: string;
  stop(): Promise<void>;
}

const HOW_TO_FIX =
  'The tool tests need a real PostgreSQL server. Either set TEST_DATABASE_URL to a superuser URL ' +
  '(e.g. postgres://postgres@127.0.0.1:5432/postgres), or install the server binaries so the harness ' +
  'can start its own cluster: `apt-get install postgresql` (it looks in /usr/lib/postgresql/<version>/bin).';

export function findPostgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (!newest) throw new Error(`No PostgreSQL server binaries under ${root}. ${HOW_TO_FIX}`);
  return join(root, newest, 'bin');
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBinDir();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'attest-test-pg-'));
  const dataDir = join(dir, 'data');
  const asServerUser = (command: string, args: string[]): string[] => (isRoot ? ['runuser', '-u', 'postgres', '--', join(bin, command), ...args] : [join(bin, command), ...args]);
  const run = (command: string, args: string[]) => {
    const [file, ...rest] = asServerUser(command, args);
    const result = spawnSync(file as string, rest, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${command} failed (exit ${result.status}): ${result.stderr || result.stdout || result.error?.message}\n${HOW_TO_FIX}`);
    }
  };
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', [
    '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  let isStopped = false;
  const stopNow = () => {
    if (isStopped) return;
    isStopped = true;
    process.off('exit', stopNow);
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // If the run is interrupted before teardown, the server must not outlive it (exit hooks run synchronously).
  process.on('exit', stopNow);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      stopNow();
    },
  };
}
