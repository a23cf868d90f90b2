// A typed facade over the parts of ltijs 5.9.9 Attest uses. ltijs ships no declarations (and the
// community ones are years stale), so this file states, from its source, what we rely on. Shapes
// are checked against ltijs's dist/ files, not its docs.
import { createRequire } from 'node:module';
import type { NextFunction, Request, Response } from 'express';

/** ltijs's storage plugin contract (dist/Utils/Database.js); our store in src/db/ implements it. */
export interface LtijsDatabasePlugin {
  setup(): Promise<unknown>;
  Close(): Promise<unknown>;
  Get(encryptionKey: string | false, collection: string, query?: Record<string, unknown>): Promise<Record<string, unknown>[] | false>;
  Insert(encryptionKey: string | false, collection: string, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<unknown>;
  Replace(encryptionKey: string | false, collection: string, query: Record<string, unknown>, item: Record<string, unknown>, index?: Record<string, unknown>): Promise<unknown>;
  Modify(encryptionKey: string | false, collection: string, query: Record<string, unknown>, modification: Record<string, unknown>): Promise<unknown>;
  Delete(collection: string, query: Record<string, unknown>): Promise<unknown>;
}

/** How ltijs verifies a platform's id_tokens (Platform.platformAuthConfig). */
export interface LtijsAuthConfig {
  method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY';
  key: string;
}

/** An OAuth2 access token as ltijs caches it (Platform.platformAccessToken). */
export interface LtijsAccessToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** dist/Utils/Platform.js: every accessor is async; passing an argument sets and persists it. */
export interface LtijsPlatform {
  platformUrl(): Promise<string>;
  platformClientId(): Promise<string>;
  /** With a name: stores it as the platform's name (ltijs Platform.platformName(name)). */
  platformName(name?: string): Promise<string>;
  platformKid(): Promise<string>;
  platformActive(active?: boolean): Promise<boolean>;
  platformAuthConfig(): Promise<LtijsAuthConfig>;
  platformAuthEndpoint(): Promise<string>;
  platformAccessTokenEndpoint(): Promise<string>;
  platformAuthorizationServer(): Promise<string>;
  platformAccessToken(scopes: string): Promise<LtijsAccessToken>;
  delete(): Promise<true>;
}

/** The `platformContext` ltijs stores per launch (collection `contexttoken`, Provider.js). */
export interface LtijsContextToken {
  contextId: string;
  user: string;
  path: string;
  roles?: string[];
  targetLinkUri?: string;
  context?: { id: string; title?: string | null; label?: string | null };
  resource?: { id: string; title?: string | null };
  custom?: Record<string, unknown>;
  launchPresentation?: Record<string, unknown>;
  endpoint?: { scope?: string[]; lineitem?: string; lineitems?: string };
  namesRoles?: { context_memberships_url: string };
  messageType: string;
  version: string;
  deepLinkingSettings?: { deep_link_return_url: string; accept_types?: string[]; accept_multiple?: boolean | string; accept_lineitem?: boolean | string; data?: string };
  lis?: Record<string, unknown>;
  /** The for_user claim of a submission review launch, kept by patches/ltijs@5.9.9.patch. */
  forUser?: { user_id?: unknown };
}

/** `res.locals.token` after a launch or an ltik check (collection `idtoken` + its context). */
export interface LtijsLaunchToken {
  iss: string;
  user: string;
  userInfo?: { given_name?: string; family_name?: string; name?: string; email?: string };
  platformInfo?: { name?: string | null; guid?: string; product_family_code?: string | null };
  clientId: string;
  platformId: string;
  deploymentId: string;
  platformContext: LtijsContextToken;
}

/** The payload ltijs signs (HS256, encryption key) into an ltik. */
export interface LtijsLtik {
  platformUrl: string;
  clientId: string;
  deploymentId: string;
  platformCode: string;
  contextId: string;
  user: string;
  s: string;
}

export interface LtijsSetupOptions {
  appRoute: string;
  loginRoute: string;
  keysetRoute: string;
  dynRegRoute: string;
  cors: boolean;
  /** Launch without a platform session cookie: the ltik alone authenticates (we send it as Bearer). */
  ltiaas: boolean;
  devMode: false;
  tokenMaxAge: number;
  cookies: { secure: boolean; sameSite: 'None' | 'Lax' | 'Strict' };
  dynReg?: {
    url: string;
    name: string;
    description?: string;
    logo?: string;
    redirectUris?: string[];
    customParameters?: Record<string, string>;
    autoActivate: boolean;
    useDeepLinking: boolean;
  };
}

export interface LtijsPlatformRegistration {
  url: string;
  name: string;
  clientId: string;
  authenticationEndpoint: string;
  accesstokenEndpoint: string;
  authorizationServer?: string;
  authConfig: LtijsAuthConfig;
}

export type LtijsLaunchCallback = (token: LtijsLaunchToken, req: Request, res: Response, next: NextFunction) => unknown;
export type LtijsErrorCallback = (req: Request, res: Response, next: NextFunction) => unknown;

/** dist/Provider/Provider.js */
export interface LtijsProvider {
  /** An Express 4 app (ltijs bundles its own Express); callable as a request handler. */
  app: ((req: Request, res: Response, next: NextFunction) => void) | undefined;
  setup(encryptionKey: string, database: { plugin: LtijsDatabasePlugin }, options: LtijsSetupOptions): LtijsProvider;
  deploy(options: { serverless: true; silent: boolean }): Promise<true>;
  close(options: { silent: boolean }): Promise<true>;
  onConnect(callback: LtijsLaunchCallback): true;
  onDeepLinking(callback: LtijsLaunchCallback): true;
  onInvalidToken(callback: LtijsErrorCallback): true;
  onSessionTimeout(callback: LtijsErrorCallback): true;
  onUnregisteredPlatform(callback: LtijsErrorCallback): true;
  onInactivePlatform(callback: LtijsErrorCallback): true;
  onDynamicRegistration(callback: LtijsErrorCallback): true;
  registerPlatform(platform: LtijsPlatformRegistration): Promise<LtijsPlatform>;
  getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
  getAllPlatforms(): Promise<LtijsPlatform[]>;
  deletePlatform(url: string, clientId: string): Promise<true>;
  DeepLinking: {
    createDeepLinkingMessage(
      token: LtijsLaunchToken,
      contentItems: readonly Record<string, unknown>[],
      options?: { message?: string; log?: string },
    ): Promise<string>;
  };
}

type ProviderConstructor = new () => LtijsProvider;

/**
 * ltijs exports one ready-made `Provider` instance, configured by side effect and usable once
 * (`setup` twice throws). We build a fresh instance from its class instead, so every adapter owns
 * its own provider and two tool servers in one process (e.g. one test file) never share state.
 * Vitest also runs each test file in its own worker, so module state never leaks between files.
 */
export function createLtijsProvider(): LtijsProvider {
  const require = createRequire(import.meta.url);
  const { Provider: singleton } = require('ltijs') as { Provider: LtijsProvider };
  const ProviderClass = (singleton as unknown as { constructor: ProviderConstructor }).constructor;
  return new ProviderClass();
}
