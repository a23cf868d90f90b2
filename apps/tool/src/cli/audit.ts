// The audit trail from the command line. `verify` walks every tenant's hash chain and says whether
// it is intact, or names the first entry that breaks it and exits 1. Run it where the tool's
// configuration is (same DATABASE_URL / DATA_DIR):
//
//   npx pnpm@10.34.9 --filter @attest/tool exec tsx src/cli/audit.ts verify
//
// With the embedded database, stop the tool first: PGlite lets one process open its directory.
import { pathToFileURL } from 'node:url';
import { verifyAuditChains } from '../audit/index.ts';
import type { TenantChainReport } from '../audit/index.ts';
import { migrateDatabase, openDatabase } from '../db/index.ts';
import type { Database } from '../db/index.ts';
import { parseEnv } from '../env.ts';

export const USAGE = `Usage: audit <command>

Commands:
  verify    check every tenant's audit chain: each entry's sequence number, the previous entry's
            hash it names, and its own hash recomputed from its fields. Exits 1 at a broken chain.

Options:
  --json    print JSON instead of text
`;

export class AuditCliUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'AuditCliUsageError';
  }
}

const tenantOf = (report: TenantChainReport) => `${report.issuer} client ${report.clientId}`;

function describe(report: TenantChainReport): string {
  if (report.broken === null) return `${tenantOf(report)}: ${report.entries} entries, chain intact (head ${report.headHash})`;
  const { sequence, id, check, detail } = report.broken;
  return `${tenantOf(report)}: BROKEN at entry ${sequence} (id ${id}), ${check} check failed: ${detail}. The ${report.entries} entries before it are intact.`;
}

/** Runs one command against an open database. Returns the process exit code. */
export async function runAuditCli(argv: readonly string[], context: { readonly db: Database; readonly out: (line: string) => void }): Promise<number> {
  const positionals = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = argv.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (unknown.length > 0) throw new AuditCliUsageError(`Unknown option ${unknown[0]}`);
  const [command] = positionals;
  if (!command) throw new AuditCliUsageError('No command given');
  if (command !== 'verify') throw new AuditCliUsageError(`Unknown command "${command}"`);

  const reports = await verifyAuditChains(context.db);
  const isIntact = reports.every((r) => r.broken === null);
  const total = reports.reduce((sum, r) => sum + r.entries, 0);
  if (argv.includes('--json')) {
    context.out(JSON.stringify({ isIntact, entries: total, tenants: reports }, null, 2));
    return isIntact ? 0 : 1;
  }
  for (const report of reports) context.out(describe(report));
  const brokenCount = reports.filter((r) => r.broken !== null).length;
  context.out(isIntact ? `Total: ${total} entries in ${reports.length} tenants, chain intact` : `Total: ${brokenCount} of ${reports.length} tenants have a broken chain`);
  return isIntact ? 0 : 1;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    console.log(USAGE);
    return;
  }
  const env = parseEnv();
  const connection = await openDatabase(env.databaseUrl ? { backend: 'postgres', url: env.databaseUrl } : { backend: 'pglite', dataDir: env.pgliteDataDir });
  try {
    await migrateDatabase(connection);
    process.exitCode = await runAuditCli(argv, { db: connection.db, out: (line) => console.log(line) });
  } finally {
    await connection.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof AuditCliUsageError ? 64 : 1;
  });
}
