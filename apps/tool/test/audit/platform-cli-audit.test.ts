import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCli } from '../../src/cli/audit.ts';
import { runPlatformCli } from '../../src/cli/register-platform.ts';
import { auditEntries } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { TEST_ENCRYPTION_KEY } from '../lti/lti-test-server.ts';
import { backends, openTestDatabase } from '../support/index.ts';

const issuer = 'https://moodle.audit.example.ac.uk';
const clientId = 'client-audit';
const platform = ['--issuer', issuer, '--client-id', clientId];

describe.each(backends)('platform administration at the command line, in the audit trail, on %s', (backend) => {
  let connection: DatabaseConnection;
  const run = (args: readonly string[]) => runPlatformCli(args, { connection, encryptionKey: TEST_ENCRYPTION_KEY, publicUrl: 'http://localhost:3000/', out: () => {} });

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('records registering, deactivating, activating, adding a new deployment and deleting, each by the CLI, in one intact chain', async () => {
    const register = ['register', ...platform, '--name', 'College Moodle', '--auth-url', `${issuer}/auth`, '--token-url', `${issuer}/token`, '--jwks-url', `${issuer}/certs`, '--deployment', '7'];
    for (const args of [register, ['deactivate', ...platform], ['activate', ...platform], ['add-deployment', ...platform, '--deployment', '8'], ['add-deployment', ...platform, '--deployment', '8'], ['delete', ...platform]]) {
      expect(await run(args)).toBe(0);
    }
    const entries = await connection.db.select().from(auditEntries).where(and(eq(auditEntries.issuer, issuer), eq(auditEntries.clientId, clientId))).orderBy(asc(auditEntries.sequence));
    // The second add-deployment changed nothing, so it is not an entry.
    expect(entries.map((e) => [e.sequence, e.action, e.actorType, e.subjectType])).toEqual([
      [1, 'platform.registered', 'cli', 'platform'],
      [2, 'platform.deactivated', 'cli', 'platform'],
      [3, 'platform.activated', 'cli', 'platform'],
      [4, 'platform.deployment-added', 'cli', 'platform'],
      [5, 'platform.removed', 'cli', 'platform'],
    ]);
    const lines: string[] = [];
    expect(await runAuditCli(['verify'], { db: connection.db, out: (line) => lines.push(line) })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^${issuer.replaceAll('.', '\\.')} client ${clientId}: 5 entries, chain intact \\(head [0-9a-f]{64}\\)$`)), 'Total: 5 entries in 1 tenants, chain intact']);
  });
});
