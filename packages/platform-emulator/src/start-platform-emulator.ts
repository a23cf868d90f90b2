import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext, EmulatorInfo } from './emulator-context.ts';
import type { PlatformEmulator, PlatformEmulatorOptions } from './types.ts';
import { EmulatorState } from './emulator-state.ts';
import { createPlatformKeys } from './platform-keys.ts';
import { restorePlatformKeys, savePlatformKeys, type EmulatorSnapshot } from './emulator-snapshot.ts';
import { profileFor } from './platform-profile.ts';
import { createEmulatorApi } from './emulator-api.ts';
import { createEmulatorApp } from './create-emulator-app.ts';

/** Starts an emulated LMS on real HTTP and resolves once it listens. */
export async function startPlatformEmulator(options: PlatformEmulatorOptions): Promise<PlatformEmulator> {
  if (options.mode !== 'moodle' && options.mode !== 'canvas') throw new Error(`mode must be 'moodle' or 'canvas', not ${String(options.mode)}`);
  const profile = profileFor(options.mode);
  const host = options.host ?? '127.0.0.1';
  const saved = options.restore;
  if (saved !== undefined && saved.mode !== options.mode) throw new Error(`the saved emulator ran in ${saved.mode} mode, not ${options.mode}`);
  const keys = saved === undefined ? await createPlatformKeys() : await restorePlatformKeys(saved.key);
  let baseUrl = '';
  const state = new EmulatorState(profile, () => baseUrl);
  if (saved !== undefined) state.restoreSaved(saved.state);
  const ctx: EmulatorContext = {
    state,
    profile,
    keys,
    platformName: options.platformName ?? profile.defaultName,
    baseUrl: () => baseUrl,
    issuer: () => profile.issuerFor(baseUrl),
    now: () => Math.floor(Date.now() / 1000),
  };
  const api = createEmulatorApi(ctx);
  const info = (): EmulatorInfo => ({
    mode: profile.mode,
    url: baseUrl,
    issuer: ctx.issuer(),
    platformName: ctx.platformName,
    jwksUrl: `${baseUrl}${profile.paths.jwks}`,
    authorizationUrl: `${baseUrl}${profile.paths.authorize}`,
    tokenUrl: `${baseUrl}${profile.paths.token}`,
    openidConfigurationUrl: `${baseUrl}${profile.paths.openidConfiguration}`,
    kid: keys.kid,
  });
  const server = createServer(createEmulatorApp(ctx, api, info));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  if (saved !== undefined && saved.url !== baseUrl) {
    await close();
    throw new Error(`the saved emulator ran at ${saved.url}, not ${baseUrl}: the tool holds line items and an issuer built from that URL`);
  }
  const snapshot = async (): Promise<EmulatorSnapshot> => ({ format: 'attest-platform-emulator', version: 1, mode: profile.mode, url: baseUrl, key: await savePlatformKeys(keys), state: structuredClone(state.toSaved()) });

  return {
    ...info(),
    ...api,
    snapshot,
    close,
  };
}
