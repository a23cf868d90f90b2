import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { ADMINISTRATION_AUDIT_CHAIN } from '../../src/admin/attest-administrators.ts';
import { auditEntries, platformRegistrations } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { CliUsageError, runPlatformCli, wantsHelp } from '../../src/cli/register-platform.ts';
import type { PlatformSummary } from '../../src/lti/platform-registry.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { TEST_ENCRYPTION_KEY } from './lti-test-server.ts';

const issuer = 'https://moodle.example.ac.uk';
const registerArgs = [
  'register', '--issuer', issuer, '--client-id', 'client-cli', '--name', 'College Moodle',
  '--auth-url', `${issuer}/mod/lti/auth.php`, '--token-url', `${issuer}/mod/lti/token.php`, '--jwks-url', `${issuer}/mod/lti/certs.php`,
  '--deployment', '7', '--json',
];

describe.each(backends)('the register-platform CLI on %s', (backend) => {
  let connection: DatabaseConnection;
  const output: string[] = [];
  const run = (args: readonly string[]) => runPlatformCli(args, { connection, encryptionKey: TEST_ENCRYPTION_KEY, publicUrl: 'http://localhost:3000/', out: (line) => output.push(line) });
  const lastJson = <T>() => JSON.parse(output.at(-1) ?? 'null') as T;

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    // Registration generates the platform's 4096-bit key pair: done once, here.
    expect(await run(registerArgs)).toBe(0);
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('registers a platform manually, active, with its deployment and a key of its own', async () => {
    expect(lastJson<PlatformSummary>()).toMatchObject({ issuer, clientId: 'client-cli', isActive: true, deploymentIds: ['7'], jwksUrl: `${issuer}/mod/lti/certs.php` });
    expect(lastJson<PlatformSummary>().keyId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists registrations, deactivates and reactivates one, and adds a deployment once', async () => {
    await run(['deactivate', '--issuer', issuer, '--client-id', 'client-cli', '--json']);
    expect(lastJson<PlatformSummary>().isActive).toBe(false);
    await run(['activate', '--issuer', issuer, '--client-id', 'client-cli', '--json']);
    expect(lastJson<PlatformSummary>().isActive).toBe(true);
    await run(['add-deployment', '--issuer', issuer, '--client-id', 'client-cli', '--deployment', '8', '--json']);
    await run(['add-deployment', '--issuer', issuer, '--client-id', 'client-cli', '--deployment', '8', '--json']);
    expect(lastJson<PlatformSummary>().deploymentIds).toEqual(['7', '8']);
    await run(['list']);
    expect(output.at(-1)).toContain(`active    ${issuer}  client client-cli  (College Moodle)`);
    expect(output.at(-1)).toContain('deployments: 7, 8');
  });

  it('grants, lists and revokes Attest administrators, each an audit entry by the command line, refusing a second grant', async () => {
    const person = ['--issuer', issuer, '--user', 'u-42'];
    expect(await run(['grant-administrator', ...person, '--name', 'Olu Operator', '--json'])).toBe(0);
    expect(lastJson<Record<string, unknown>>()).toMatchObject({ issuer, userId: 'u-42', name: 'Olu Operator', grantedBy: 'cli' });
    await expect(run(['grant-administrator', ...person])).rejects.toThrow('already an Attest administrator');
    await expect(run(['grant-administrator', '--issuer', issuer])).rejects.toThrow(CliUsageError);
    await run(['list-administrators']);
    expect(output.at(-1)).toContain(`${issuer}  user u-42  (Olu Operator)  granted by cli`);
    expect(await run(['revoke-administrator', ...person])).toBe(0);
    await run(['list-administrators', '--json']);
    expect(lastJson<unknown[]>()).toEqual([]);
    await expect(run(['revoke-administrator', ...person])).rejects.toThrow('no Attest administrator');
    const entries = await connection.db.select().from(auditEntries).where(eq(auditEntries.issuer, ADMINISTRATION_AUDIT_CHAIN.issuer)).orderBy(asc(auditEntries.sequence));
    expect(entries.map((entry) => [entry.action, entry.actorType, entry.subjectLabel])).toEqual([
      ['administrator.granted', 'cli', 'Olu Operator'],
      ['administrator.revoked', 'cli', 'Olu Operator'],
    ]);
  });

  it('prints the URLs an LMS administrator needs', async () => {
    await run(['urls', '--json']);
    expect(lastJson<Record<string, string>>()).toEqual({
      loginUrl: 'http://localhost:3000/lti/login',
      launchUrl: 'http://localhost:3000/lti/launch',
      jwksUrl: 'http://localhost:3000/lti/keys',
      dynamicRegistrationUrl: 'http://localhost:3000/lti/register',
      canvasDeveloperKeyUrl: 'http://localhost:3000/lti/canvas-developer-key.json',
    });
  });

  it('lists a deployment waiting since its first launch, and add-deployment approves it', async () => {
    // As the launch route records it (hold-new-deployment.ts), written directly here.
    const waiting = { deploymentId: '9', firstLaunchAt: '2026-12-01T09:00:00.000Z', lastLaunchAt: '2026-12-01T09:05:00.000Z', launches: 2, contextId: 'c-9', contextTitle: 'Carpentry L3' };
    await connection.db.update(platformRegistrations).set({ pendingDeployments: [waiting] }).where(eq(platformRegistrations.clientId, 'client-cli'));
    await run(['list']);
    expect(output.at(-1)).toContain('waiting for approval: deployment 9 (first launched 2026-12-01T09:00:00.000Z from Carpentry L3, 2 launches): approve with add-deployment');
    await run(['add-deployment', '--issuer', issuer, '--client-id', 'client-cli', '--deployment', '9', '--json']);
    expect(lastJson<PlatformSummary>()).toMatchObject({ pendingDeployments: [], deploymentIds: expect.arrayContaining(['9']) });
    await run(['list']);
    expect(output.at(-1)).not.toContain('waiting for approval');
  });

  it('refuses a registration without a deployment, an unknown command, and a missing option, naming what is wrong', async () => {
    await expect(run(registerArgs.filter((arg) => arg !== '--deployment' && arg !== '7'))).rejects.toThrow(/--deployment is required/);
    await expect(run(['frobnicate'])).rejects.toBeInstanceOf(CliUsageError);
    await expect(run(['activate', '--issuer', issuer])).rejects.toThrow(/--client-id is required/);
  });

  it('deletes a platform, after which it is gone from the list', async () => {
    await run(['delete', '--issuer', issuer, '--client-id', 'client-cli']);
    await run(['list', '--json']);
    expect(lastJson<PlatformSummary[]>()).toEqual([]);
    await expect(run(['activate', '--issuer', issuer, '--client-id', 'client-cli'])).rejects.toThrow(/No platform is registered/);
  });
});

describe('register-platform help', () => {
  it('is answered without a database for no arguments, --help, -h and help, and not for a real command', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help'], ['list', '--help']]) expect(wantsHelp(argv)).toBe(true);
    expect(wantsHelp(['list'])).toBe(false);
    expect(wantsHelp(['activate', '--issuer', 'https://moodle.example', '--client-id', 'x'])).toBe(false);
  });
});
