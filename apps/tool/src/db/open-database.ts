import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;

/** The one database type the tool's code uses, whichever backend is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseConfig =
  | { readonly backend: 'postgres'; readonly url: string; readonly maxConnections?: number }
  | {
      readonly backend: 'pglite';
      /** A directory that keeps the data across restarts; absent → in memory only. */
      readonly dataDir?: string;
      /** A `dumpDataDir()` tarball to start from (the test harness's migrated template). */
      readonly loadDataDir?: Blob;
    };

export interface DatabaseConnection {
  readonly backend: 'postgres' | 'pglite';
  readonly db: Database;
  /** Raw SQL for code that brings its own (pg-boss); multi-statement text is allowed without values. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** The embedded instance, when the backend is PGlite (pg-boss's `fromPglite` needs it). */
  readonly pglite: PGlite | null;
  /** The pool, when the backend is a PostgreSQL server. */
  readonly pool: pg.Pool | null;
  /** The server's connection URL (pg-boss opens its own pool with it); null on PGlite. */
  readonly url: string | null;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Opens the database and checks that it answers, so a wrong DATABASE_URL fails here with a message
 * that says which server could not be reached, not later inside ltijs or pg-boss.
 */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseConnection> {
  return config.backend === 'postgres' ? openPostgres(config.url, config.maxConnections ?? 10) : openPglite(config);
}

async function openPostgres(url: string, maxConnections: number): Promise<DatabaseConnection> {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server emits 'error' on the pool; unhandled, that kills the process.
  pool.on('error', () => {});
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  const db = drizzleNodePg(pool, { schema }) as unknown as Database;
  let isClosed = false;
  return {
    backend: 'postgres',
    db,
    pglite: null,
    pool,
    url,
    async executeSql(text, values) {
      const result = await pool.query(text, values);
      // A multi-statement query returns one result per statement; callers want the rows of all.
      const results = Array.isArray(result) ? (result as pg.QueryResult[]) : [result];
      return { rows: results.flatMap((r) => r.rows ?? []) };
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      await pool.end();
    },
  };
}

async function openPglite(config: { dataDir?: string; loadDataDir?: Blob }): Promise<DatabaseConnection> {
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const releaseLock = config.dataDir ? lockDataDir(config.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(config.dataDir ? { dataDir: config.dataDir } : {}),
      ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
    });
  } catch (error) {
    releaseLock();
    throw new DatabaseUnavailableError(
      `Cannot open the embedded PGlite database${config.dataDir ? ` in ${config.dataDir}` : ''}: ${(error as Error).message}. ` +
        'If another Attest process is using this directory, stop it or set DATABASE_URL.',
      { cause: error },
    );
  }
  const db = drizzlePglite(pglite, { schema }) as unknown as Database;
  return {
    backend: 'pglite',
    db,
    pglite,
    pool: null,
    url: null,
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await pglite.query<Record<string, unknown>>(text, values)).rows };
      const results = await pglite.exec(text);
      return { rows: results.flatMap((r) => r.rows as Record<string, unknown>[]) };
    },
    async close() {
      if (!pglite.closed) await pglite.close();
      releaseLock();
    },
  };
}

/**
 * PGlite is one in-process PostgreSQL with no lock of its own: two processes (or two opens in one)
 * on the same directory corrupt it. A pid file beside the directory refuses the second opener; a
 * file left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        try {
          unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new DatabaseUnavailableError(
          `The embedded database in ${dataDir} is in use by ${holder === process.pid ? 'this process' : `process ${holder}`}. ` +
            'Stop the other Attest server, or give this one its own DATA_DIR or a DATABASE_URL.',
        );
      }
      unlinkSync(lockFile);
    }
  }
  throw new DatabaseUnavailableError(`Could not lock the embedded database in ${dataDir} (${lockFile}).`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
