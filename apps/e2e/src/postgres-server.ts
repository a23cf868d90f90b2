// A PostgreSQL server for the browser tests: TEST_DATABASE_URL when CI gives one, otherwise a
// throwaway cluster from Debian's server binaries, run as the `postgres` user (initdb refuses
// root). The tool's own harness does the same in apps/tool/test/support, which is not exported.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

export interface PostgresServer {
  readonly adminUrl: string;
  stop(): Promise<void>;
}

const howToFix = 'Set TEST_DATABASE_URL to a superuser URL, or `apt-get install postgresql` so the tests can start their own cluster.';

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((version) => existsSync(join(root, version, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`No PostgreSQL server binaries under ${root}. ${howToFix}`);
  return join(root, newest, 'bin');
}

export async function startPostgresServer(givenUrl: string | null): Promise<PostgresServer> {
  if (givenUrl) return { adminUrl: givenUrl, stop: async () => {} };
  const bin = findBinDir();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'attest-e2e-pg-'));
  const dataDir = join(dir, 'data');
  const run = (command: string, args: string[]): void => {
    const argv = isRoot ? ['runuser', '-u', 'postgres', '--', join(bin, command), ...args] : [join(bin, command), ...args];
    const result = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}): ${result.stderr || result.stdout}\n${howToFix}`);
  };
  if (isRoot) {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    chmodSync(dir, 0o700);
  }
  const port = await freePort('127.0.0.1');
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`, 'start']);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface FreshDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** An empty database of its own for one test file; the tool migrates it when it starts. */
export async function createFreshDatabase(adminUrl: string): Promise<FreshDatabase> {
  const name = `attest_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`) };
}
