import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformEmulator, type PlatformEmulator, type PlatformMode, type ToolRegistration } from '@attest/platform-emulator';
import { loadCatalogue } from '@attest/standards/loader';
import { catalogueFromUnits, startToolServer, type ToolServer } from '@attest/tool';
import { freePort } from './free-port.ts';
import { createFreshDatabase, type FreshDatabase } from './postgres-server.ts';

export const backends = ['pglite', 'postgres'] as const;
export type Backend = (typeof backends)[number];

export interface StackOptions {
  readonly mode: PlatformMode;
  readonly backend: Backend;
  /** Superuser URL of the run's PostgreSQL server (from the global setup). */
  readonly postgresAdminUrl: string;
}

export interface Stack {
  /** The LMS, on 127.0.0.1. */
  readonly emulator: PlatformEmulator;
  /** The tool, on localhost: a different site from the LMS. */
  readonly tool: ToolServer;
  /**
   * Registers the tool the quick way (Dynamic Registration done by the emulator with fetch; a
   * manual registration for Canvas) and activates it on both sides, for suites whose subject is
   * not registration itself.
   */
  registerAndActivate(): Promise<ToolRegistration>;
  /** What the tool logged (refused launches, job errors), for failure messages. */
  readonly toolLog: string[];
  close(): Promise<void>;
}

const units = loadCatalogue().units;

/** A fresh emulator and a fresh tool on a fresh database of the given backend. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error('[e2e] cleanup failed', error));
  };
  const toolLog: string[] = [];
  try {
    const emulator = await startPlatformEmulator({ mode: options.mode, host: '127.0.0.1', port: 0 });
    cleanups.push(() => emulator.close());

    // The data directory holds PGlite (for that backend), evidence files and the generated development key.
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-tool-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let database: FreshDatabase | null = null;
    if (options.backend === 'postgres') {
      database = await createFreshDatabase(options.postgresAdminUrl);
      const created = database;
      cleanups.push(() => created.drop());
    }
    const port = await freePort('127.0.0.1');
    const tool = await startToolServer({
      env: {
        databaseUrl: database?.url ?? null,
        dataDir,
        pgliteDataDir: join(dataDir, 'pglite'),
        // With a DATABASE_URL the tool would keep files in ./.attest-files of the working directory.
        evidenceFilesDir: join(dataDir, 'files'),
        host: '127.0.0.1',
        port,
        publicUrl: `http://localhost:${port}`,
      },
      catalogue: catalogueFromUnits(units),
      log: (message, details) => toolLog.push(`${message} ${details ? JSON.stringify(details) : ''}`),
    });
    cleanups.push(() => tool.close());

    return {
      emulator,
      tool,
      async registerAndActivate() {
        // The emulated Canvas names https://canvas.instructure.com as issuer while serving its
        // OpenID configuration from its own address, so the tool rightly refuses its Dynamic
        // Registration (DR 1.0 §3.5.1). It is registered as a Canvas admin usually does: a developer
        // key in the LMS, its client id and endpoints entered in the tool, with the school's own
        // Canvas site (`--frame-origin`): the shared issuer names no site that may frame Attest.
        if (new URL(emulator.issuer).origin !== new URL(emulator.url).origin) {
          const registration = emulator.registerTool({ name: 'Attest', loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch` });
          await tool.lti.platforms.register({
            issuer: emulator.issuer,
            clientId: registration.clientId,
            name: emulator.platformName,
            authenticationEndpoint: emulator.authorizationUrl,
            accessTokenEndpoint: emulator.tokenUrl,
            jwksUrl: emulator.jwksUrl,
            deploymentIds: [registration.deploymentId],
            frameOrigins: [emulator.url],
          });
          if (!registration.active) emulator.activateTool(registration.clientId);
          return emulator.getTool(registration.clientId);
        }
        const registration = await emulator.registerToolDynamically(`${tool.url}/lti/register`, { activate: true });
        await tool.lti.platforms.setActive(emulator.issuer, registration.clientId, true);
        return registration;
      },
      toolLog,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
