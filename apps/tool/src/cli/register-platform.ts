// Platform administration from the command line: register an LMS manually, list registrations,
// activate or deactivate one (dynamically registered platforms start inactive), add a deployment,
// remove one; make someone an Attest administrator, who can then do the same in the console. Run it where the tool's configuration is (same DATABASE_URL / DATA_DIR and key):
//
//   npx pnpm@10.34.9 --filter @attest/tool exec tsx src/cli/register-platform.ts <command> [options]
//
// With the embedded database, stop the tool first: PGlite lets one process open its directory.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { LtijsStore, migrateDatabase, openDatabase } from '../db/index.ts';
import type { DatabaseConnection } from '../db/index.ts';
import { ensureDevEncryptionKey } from '../dev-encryption-key.ts';
import { parseEnv } from '../env.ts';
import { createLtiAdapter } from '../lti/create-lti-adapter.ts';
import type { AttestAdministrator } from '@attest/contracts';
import { grantAttestAdministrator, listAttestAdministrators, revokeAttestAdministrator } from '../admin/attest-administrators.ts';
import { CLI_ACTOR } from '../audit/index.ts';
import { toFrameOrigin } from '../lti/platform-registry.ts';
import type { PlatformSummary } from '../lti/platform-registry.ts';

export const USAGE = `Usage: register-platform <command> [options]

Commands:
  register        --issuer URL --client-id ID --name NAME --auth-url URL --token-url URL
                  --jwks-url URL --deployment ID [--deployment ID …] [--inactive]
                  [--authorization-server AUD] [--frame-origin URL …]
  list
  activate        --issuer URL --client-id ID
  deactivate      --issuer URL --client-id ID
  add-deployment  --issuer URL --client-id ID --deployment ID
                  also approves a deployment \`list\` shows waiting since its first launch
  add-frame-origin --issuer URL --client-id ID --frame-origin URL
                  a site this LMS shows Attest from (a hosted Canvas's own URL, e.g.
                  https://college.instructure.com; a Moodle's issuer is allowed already)
  delete          --issuer URL --client-id ID
  urls            the URLs to give an LMS administrator
  grant-administrator  --issuer URL --user ID [--name NAME]
                  makes this LMS user an Attest administrator: in the administration console
                  they manage every registered platform (decision 21)
  revoke-administrator --issuer URL --user ID
  list-administrators

Options:
  --json          print JSON instead of text
`;

export class CliUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'CliUsageError';
  }
}

export interface PlatformCliContext {
  readonly connection: DatabaseConnection;
  readonly encryptionKey: string;
  readonly publicUrl: string;
  readonly out: (line: string) => void;
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} is required`);
  return value.trim();
}

/** `--frame-origin` values as origins; a value that is not an http(s) URL is a usage error. */
function frameOriginsOption(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((value) => {
    const origin = toFrameOrigin(value.trim());
    if (origin === null) throw new CliUsageError(`--frame-origin must be an http(s) URL such as https://college.instructure.com, got ${value}`);
    return origin;
  });
}

function describe(platform: PlatformSummary): string {
  return [
    `${platform.isActive ? 'active  ' : 'INACTIVE'}  ${platform.issuer}  client ${platform.clientId}${platform.name ? `  (${platform.name})` : ''}`,
    `          deployments: ${platform.deploymentIds.length > 0 ? platform.deploymentIds.join(', ') : '(none: launches are refused until one is added)'}`,
    ...platform.pendingDeployments.map((p) => `          waiting for approval: deployment ${p.deploymentId} (first launched ${p.firstLaunchAt}${p.contextTitle ? ` from ${p.contextTitle}` : ''}, ${p.launches} launch${p.launches === 1 ? '' : 'es'}): approve with add-deployment`),
    `          frames Attest from: ${platform.frameOrigins.length > 0 ? platform.frameOrigins.join(', ') : '(nowhere yet: add the LMS site with add-frame-origin)'}`,
    `          key id: ${platform.keyId ?? '-'}  JWKS: ${platform.jwksUrl ?? '-'}`,
  ].join('\n');
}

function describeAdministrator(administrator: AttestAdministrator): string {
  return `${administrator.issuer}  user ${administrator.userId}${administrator.name ? `  (${administrator.name})` : ''}  granted by ${administrator.grantedBy} at ${administrator.grantedAt}`;
}

/** Runs one command against an open database. Returns the process exit code. */
export async function runPlatformCli(argv: readonly string[], context: PlatformCliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      name: { type: 'string' },
      'auth-url': { type: 'string' },
      'token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      'authorization-server': { type: 'string' },
      deployment: { type: 'string', multiple: true },
      'frame-origin': { type: 'string', multiple: true },
      inactive: { type: 'boolean' },
      user: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (!command) throw new CliUsageError('No command given');
  const publicUrl = context.publicUrl.replace(/\/+$/, '');
  const print = (value: unknown, text: string) => context.out(values.json ? JSON.stringify(value, null, 2) : text);

  if (command === 'urls') {
    const urls = {
      loginUrl: `${publicUrl}/lti/login`,
      launchUrl: `${publicUrl}/lti/launch`,
      jwksUrl: `${publicUrl}/lti/keys`,
      dynamicRegistrationUrl: `${publicUrl}/lti/register`,
      canvasDeveloperKeyUrl: `${publicUrl}/lti/canvas-developer-key.json`,
    };
    print(urls, Object.entries(urls).map(([name, url]) => `${name.padEnd(24)} ${url}`).join('\n'));
    return 0;
  }

  const { db } = context.connection;
  switch (command) {
    case 'grant-administrator': {
      const name = typeof values.name === 'string' && values.name.trim() !== '' ? values.name.trim() : null;
      const granted = await grantAttestAdministrator(db, { issuer: required(values, 'issuer'), userId: required(values, 'user'), name }, { actor: CLI_ACTOR, grantedBy: 'cli' });
      print(granted, `Granted: ${describeAdministrator(granted)}`);
      return 0;
    }
    case 'revoke-administrator': {
      const revoked = await revokeAttestAdministrator(db, { issuer: required(values, 'issuer'), userId: required(values, 'user') }, CLI_ACTOR);
      print(revoked, `Revoked: ${describeAdministrator(revoked)}`);
      return 0;
    }
    case 'list-administrators': {
      const all = await listAttestAdministrators(db);
      print(all, all.length === 0 ? 'No one is an Attest administrator.' : all.map(describeAdministrator).join('\n'));
      return 0;
    }
  }

  const adapter = await createLtiAdapter({ publicUrl, encryptionKey: context.encryptionKey, uiPath: '/app/' }, { store: new LtijsStore(context.connection.db), db: context.connection.db });
  try {
    const platforms = adapter.platforms;
    switch (command) {
      case 'register': {
        const deploymentIds = (values.deployment ?? []).map((id) => id.trim()).filter((id) => id !== '');
        if (deploymentIds.length === 0) throw new CliUsageError('--deployment is required at least once: Attest refuses launches from deployments it does not know');
        const summary = await platforms.register({
          issuer: required(values, 'issuer'),
          clientId: required(values, 'client-id'),
          name: required(values, 'name'),
          authenticationEndpoint: required(values, 'auth-url'),
          accessTokenEndpoint: required(values, 'token-url'),
          jwksUrl: required(values, 'jwks-url'),
          ...(values['authorization-server'] ? { authorizationServer: values['authorization-server'] } : {}),
          deploymentIds,
          frameOrigins: frameOriginsOption(values['frame-origin']),
          isActive: !values.inactive,
        }, CLI_ACTOR);
        print(summary, `Registered:\n${describe(summary)}`);
        return 0;
      }
      case 'list': {
        const all = await platforms.list();
        print(all, all.length === 0 ? 'No platforms are registered.' : all.map(describe).join('\n'));
        return 0;
      }
      case 'activate':
      case 'deactivate': {
        const summary = await platforms.setActive(required(values, 'issuer'), required(values, 'client-id'), command === 'activate', CLI_ACTOR);
        print(summary, describe(summary));
        return 0;
      }
      case 'add-deployment': {
        const deployment = (values.deployment ?? [])[0];
        if (!deployment) throw new CliUsageError('--deployment is required');
        const summary = await platforms.addDeployment(required(values, 'issuer'), required(values, 'client-id'), deployment, CLI_ACTOR);
        print(summary, describe(summary));
        return 0;
      }
      case 'add-frame-origin': {
        const [origin] = frameOriginsOption(values['frame-origin']);
        if (!origin) throw new CliUsageError('--frame-origin is required');
        const summary = await platforms.addFrameOrigin(required(values, 'issuer'), required(values, 'client-id'), origin);
        print(summary, describe(summary));
        return 0;
      }
      case 'delete': {
        const issuer = required(values, 'issuer');
        const clientId = required(values, 'client-id');
        await platforms.remove(issuer, clientId, CLI_ACTOR);
        print({ deleted: { issuer, clientId } }, `Deleted ${issuer} client ${clientId}.`);
        return 0;
      }
      default:
        throw new CliUsageError(`Unknown command "${command}"`);
    }
  } finally {
    await adapter.close();
  }
}

/** Help needs no database: asking for it must work while the tool holds the embedded one. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(USAGE);
    return;
  }
  const env = parseEnv();
  const connection = await openDatabase(env.databaseUrl ? { backend: 'postgres', url: env.databaseUrl } : { backend: 'pglite', dataDir: env.pgliteDataDir });
  try {
    await migrateDatabase(connection);
    const encryptionKey = env.ltiEncryptionKey ?? ensureDevEncryptionKey(env.dataDir);
    process.exitCode = await runPlatformCli(process.argv.slice(2), { connection, encryptionKey, publicUrl: env.publicUrl ?? `http://localhost:${env.port}`, out: (line) => console.log(line) });
  } finally {
    await connection.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof CliUsageError ? 64 : 1;
  });
}
