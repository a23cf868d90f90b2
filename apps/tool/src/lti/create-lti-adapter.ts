import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { jwtVerify } from 'jose';
import { latestLaunchMembers, readLaunchOfLtik, recordLaunch } from '../db/index.ts';
import type { Database } from '../db/index.ts';
import type { GradebookResultsReader, LaunchContext, RosterSource, ScoreSender } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { describeError } from '../errors/describe-error.ts';
import { confirmPlacedUnits } from '../evidence/confirm-placed-units.ts';
import { createCourseLineItemsReader } from './ags-line-items-reader.ts';
import { createAgsScoreSender } from './ags-score-sender.ts';
import { createGradebookResultsReader } from './ags-results-reader.ts';
import { checkIdToken } from './check-id-token.ts';
import { crossSiteHeaders } from './cross-site-headers.ts';
import { deepLinkingRefusal, toDeepLinkingItems } from './deep-linking-items.ts';
import { holdNewDeployment } from './hold-new-deployment.ts';
import { registeringOriginsOf } from './registering-origin.ts';
import { toCanvasDeveloperKey } from './canvas-developer-key.ts';
import { DynamicRegistrationError, registerDynamically, registrationDonePage, registrationFailedPage, registrationRateLimitedPage, registrationsWaitingPage } from './dynamic-registration.ts';
import type { ToolUrls } from './dynamic-registration.ts';
import type { FetchLimits, HostPolicy } from './fetch-platform-json.ts';
import { FRAME_ORIGINS_LOCAL, sendHtmlPage } from './html-page.ts';
import { ltiRefusal, sendRefusal } from './lti-refusal.ts';
import type { LtiRefusal, LtiRefusalKind, RefusalContext } from './lti-refusal.ts';
import { createLtijsProvider } from './ltijs-types.ts';
import type { LtijsDatabasePlugin, LtijsLaunchToken, LtijsLtik, LtijsProvider } from './ltijs-types.ts';
import { ltijsTokenToClaims } from './ltijs-token-to-claims.ts';
import { bindingCookie, bindNonceOnRedirect, isNonceBoundToState, nonceCookieName } from './nonce-binding.ts';
import { checkPlatformStoragePost, isStorageTarget, platformStorageLaunchPage, platformStorageLoginPage, VERIFIED_FIELD } from './platform-storage-launch.ts';
import { vouchForStateWithLtijs } from './ltijs-state-cookie.ts';
import { createNrpsRosterSource } from './nrps-roster-source.ts';
import { PlatformServiceClient } from './platform-service-client.ts';
import { PlatformRegistry, tenantRefusalOf } from './platform-registry.ts';
import { reviewRefusalOf } from './submission-review.ts';
import { toLaunchContext } from './to-launch-context.ts';

export interface LtiAdapterConfig {
  /** Where platforms and browsers reach the tool, e.g. `http://localhost:3000` (no trailing slash). */
  publicUrl: string;
  /** Signs ltiks and cookies and encrypts our private keys at rest; at least 32 characters. */
  encryptionKey: string;
  /** Where a launch lands: the UI, e.g. `/app/`. */
  uiPath: string;
  /** Logs why a launch was refused; defaults to nothing (tests assert responses, not logs). */
  log?: (message: string, details?: Record<string, unknown>) => void;
  /**
   * Whether Dynamic Registration may fetch from private, loopback and link-local addresses. Unset:
   * loopback only, and only while `publicUrl` is itself on loopback (the local demo and the tests,
   * where the LMS is on 127.0.0.1 too); a tool reachable by real LMSs registers public hosts only.
   */
  allowPrivateRegistrationHosts?: boolean | undefined;
  /** Bounds on each registration fetch; defaults to 5 s and 256 KiB. */
  registrationFetchLimits?: FetchLimits | undefined;
  /** Requests to /lti/register one client address may make per window; defaults to 10 per hour. */
  registrationRateLimit?: { readonly limit: number; readonly windowMs: number } | undefined;
  /** Dynamically registered platforms that may wait, never activated, before /lti/register refuses more; default 20. */
  registrationMaxInactive?: number | undefined;
  /** A dynamically registered platform never activated for this long is deleted; defaults to 7 days. */
  registrationInactiveMs?: number | undefined;
  /**
   * How long an ltik authenticates API calls after its launch, in seconds (decision 5); defaults to
   * DEFAULT_LAUNCH_TOKEN_LIFETIME_SECONDS. At most LTIJS_STORED_LAUNCH_SECONDS: past that ltijs's
   * stored id token is gone anyway.
   */
  launchTokenLifetimeSeconds?: number | undefined;
  /** The clock `authenticate` judges an ltik's age by, in milliseconds; tests move it, production leaves it. */
  now?: (() => number) | undefined;
  /** Told of every login or launch refused, by kind (the /metrics counter of refusals by reason). */
  onRefusal?: ((kind: LtiRefusalKind) => void) | undefined;
}

const DEFAULT_REGISTRATION_RATE_LIMIT = { limit: 10, windowMs: 60 * 60_000 };
const DEFAULT_REGISTRATION_MAX_INACTIVE = 20;
const DEFAULT_REGISTRATION_INACTIVE_MS = 7 * 24 * 60 * 60_000;
/** How often stale registrations are looked for besides at start-up and at each registration. */
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Four hours: an assessor's block of marking or observation (a morning or an afternoon) fits in
 * one launch, and a learner's evidence session comfortably; a token copied out of a screen, a log
 * or a shared link stops working within half a working day. Reopening the activity costs one click.
 */
export const DEFAULT_LAUNCH_TOKEN_LIFETIME_SECONDS = 4 * 3600;
/** ltijs's stored id token and context token (what an ltik points at) live 24 h after the last launch. */
export const LTIJS_STORED_LAUNCH_SECONDS = 24 * 3600;

export interface LtiAdapter {
  /** Mount at '/': serves /lti/login, /lti/launch, /lti/keys and /lti/register. */
  router: RequestHandler;
  /** For /api: a Bearer ltik becomes `res.locals.launch` (a LaunchContext), or AppError('unauthenticated'). */
  authenticate: RequestHandler;
  scoreSender: ScoreSender;
  /** The AGS result service, read for the gradebook sync report and reconciliation. */
  resultsReader: GradebookResultsReader;
  rosterSource: RosterSource;
  /** A signed LtiDeepLinkingResponse for the UI to POST (as `JWT`) to `returnUrl` from the LMS frame. */
  createDeepLinkingResponse(launch: LaunchContext, items: { unitId: string; title: string }[]): Promise<{ returnUrl: string; jwt: string }>;
  /** Register (manually), list, activate/deactivate, add deployments to and remove platforms. */
  platforms: PlatformRegistry;
  close(): Promise<void>;
}

export class LtiStorageError extends Error {
  constructor(cause: unknown) {
    super(`The LTI storage could not be set up: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'LtiStorageError';
  }
}

/** Tolerated clock difference with a platform, in seconds, for `exp` and `iat`. */
const CLOCK_SKEW_SECONDS = 30;
/** An id_token older than this (by `iat`) is refused: it has had ample time to reach us. */
const ID_TOKEN_MAX_AGE_SECONDS = 60;

const LTI_PATHS = { login: '/lti/login', launch: '/lti/launch', keys: '/lti/keys', register: '/lti/register', canvasDeveloperKey: '/lti/canvas-developer-key.json' } as const;

function isLoopbackUrl(url: string): boolean {
  const hostname = new URL(url).hostname;
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

/** The registration host policy from the configuration (see LtiAdapterConfig.allowPrivateRegistrationHosts). */
export function registrationHostPolicy(config: Pick<LtiAdapterConfig, 'publicUrl' | 'allowPrivateRegistrationHosts'>): HostPolicy {
  if (config.allowPrivateRegistrationHosts === true) return 'any';
  if (config.allowPrivateRegistrationHosts === false) return 'public-only';
  return isLoopbackUrl(config.publicUrl) ? 'public-and-loopback' : 'public-only';
}

/**
 * Hands a request to ltijs's own Express 4 app. That app swaps the request and response
 * prototypes for Express 4's; put ours back when it passes the request on, as a mounted app would.
 */
function forwardTo(provider: LtijsProvider): RequestHandler {
  return (req, res, next) => {
    const requestPrototype = Object.getPrototypeOf(req) as object;
    const responsePrototype = Object.getPrototypeOf(res) as object;
    const app = provider.app;
    if (!app) return next(new Error('ltijs is not set up'));
    // Express 5 computes req.query in a prototype getter; once ltijs swaps in Express 4's prototype
    // that getter is gone and ltijs would see no query at all. Pin the parsed value on the request.
    Object.defineProperty(req, 'query', { value: { ...req.query }, writable: true, configurable: true, enumerable: true });
    app(req, res, (error?: unknown) => {
      Object.setPrototypeOf(req, requestPrototype);
      Object.setPrototypeOf(res, responsePrototype);
      next(error);
    });
  };
}

/** Wraps our store so `deploy()` can never reach its `process.exit` on a storage failure. */
function guardStorage(store: LtijsDatabasePlugin): { plugin: LtijsDatabasePlugin; failure: () => unknown } {
  let failure: unknown = null;
  const plugin: LtijsDatabasePlugin = {
    async setup() {
      try {
        await store.setup();
      } catch (error) {
        failure = error ?? new Error('storage setup failed');
      }
      return true;
    },
    Close: () => store.Close(),
    Get: (...args) => store.Get(...args),
    Insert: (...args) => store.Insert(...args),
    Replace: (...args) => store.Replace(...args),
    Modify: (...args) => store.Modify(...args),
    Delete: (...args) => store.Delete(...args),
  };
  return { plugin, failure: () => failure };
}

function isLtijsStore(value: unknown): value is LtijsDatabasePlugin {
  const candidate = value as Partial<Record<keyof LtijsDatabasePlugin, unknown>> | null;
  return !!candidate && ['setup', 'Close', 'Get', 'Insert', 'Replace', 'Modify', 'Delete'].every((name) => typeof candidate[name as keyof LtijsDatabasePlugin] === 'function');
}

export async function createLtiAdapter(config: LtiAdapterConfig, deps: { store: unknown; db: unknown }): Promise<LtiAdapter> {
  const launchTokenLifetimeSeconds = config.launchTokenLifetimeSeconds ?? DEFAULT_LAUNCH_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(launchTokenLifetimeSeconds) || launchTokenLifetimeSeconds <= 0 || launchTokenLifetimeSeconds > LTIJS_STORED_LAUNCH_SECONDS) {
    throw new RangeError(`launchTokenLifetimeSeconds must be a whole number of seconds from 1 to ${LTIJS_STORED_LAUNCH_SECONDS}, got ${launchTokenLifetimeSeconds}`);
  }
  if (!isLtijsStore(deps.store)) throw new TypeError('createLtiAdapter: deps.store is not an ltijs storage plugin (LtijsStore from src/db)');
  const store = deps.store;
  const db = deps.db as Database;
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  const toolOrigin = new URL(publicUrl).origin;
  const hostPolicy = registrationHostPolicy(config);
  const log = config.log ?? (() => {});
  const urls: ToolUrls = {
    publicUrl,
    loginUrl: `${publicUrl}${LTI_PATHS.login}`,
    launchUrl: `${publicUrl}${LTI_PATHS.launch}`,
    jwksUrl: `${publicUrl}${LTI_PATHS.keys}`,
  };

  const provider = createLtijsProvider();
  const guarded = guardStorage(store);
  provider.setup(config.encryptionKey, { plugin: guarded.plugin }, {
    appRoute: LTI_PATHS.launch,
    loginRoute: LTI_PATHS.login,
    keysetRoute: LTI_PATHS.keys,
    // Unreachable: our router answers /lti/register itself (see dynamic-registration.ts).
    dynRegRoute: LTI_PATHS.register,
    // ltijs's CORS reflects any Origin with credentials; the UI is same-origin and needs none.
    cors: false,
    // No platform session cookie: after launch the ltik alone, sent as a Bearer header, authenticates.
    ltiaas: true,
    devMode: false,
    tokenMaxAge: ID_TOKEN_MAX_AGE_SECONDS,
    cookies: { secure: true, sameSite: 'None' },
  });
  const sigintBefore = new Set(process.listeners('SIGINT'));
  try {
    await provider.deploy({ serverless: true, silent: true });
  } finally {
    // deploy() installs a SIGINT handler that calls process.exit; shutting down is the host's call.
    for (const listener of process.listeners('SIGINT')) if (!sigintBefore.has(listener)) process.removeListener('SIGINT', listener);
  }
  if (guarded.failure()) throw new LtiStorageError(guarded.failure());

  const platforms = new PlatformRegistry(db, provider, { store, encryptionKey: config.encryptionKey });
  const maxInactive = config.registrationMaxInactive ?? DEFAULT_REGISTRATION_MAX_INACTIVE;
  const inactiveMs = config.registrationInactiveMs ?? DEFAULT_REGISTRATION_INACTIVE_MS;

  /** Deletes dynamically registered platforms nobody activated within `inactiveMs`, one log line each. */
  const pruneStaleRegistrations = async (): Promise<void> => {
    const pruned = await platforms.pruneNeverActivated(new Date(Date.now() - inactiveMs));
    for (const registration of pruned) {
      log('pruned a dynamically registered platform never activated', { issuer: registration.issuer, clientId: registration.clientId, name: registration.name, registeredAt: registration.createdAt.toISOString() });
    }
  };
  const pruneInBackground = () => pruneStaleRegistrations().catch((error: unknown) => log('pruning stale registrations failed', { error: describeError(error) }));
  await pruneStaleRegistrations();
  const pruneTimer = setInterval(pruneInBackground, PRUNE_EVERY_MS);
  pruneTimer.unref();
  /** Registrations this process is running now: counted against the cap with the stored ones. */
  let registrationsInFlight = 0;
  const serviceClient = new PlatformServiceClient(provider, store);
  const rosterSource = createNrpsRosterSource(serviceClient);
  const readCourseLineItems = createCourseLineItemsReader(serviceClient);
  /** Decision 0020: before the UI opens, units offered by deep linking that the LMS now shows count as placed. Never fails a launch. */
  const confirmOfferedUnits = async (launch: LaunchContext): Promise<void> => {
    try {
      const outcome = await confirmPlacedUnits({ db, readCourseLineItems }, launch);
      if (outcome.failure) log('could not read the course line items to confirm placed units', { issuer: launch.issuer, clientId: launch.clientId, contextId: launch.contextId, reason: outcome.failure });
    } catch (error) {
      log('confirming placed units failed', { error: describeError(error) });
    }
  };
  /** The ltijs token behind each LaunchContext we handed out, for deep linking. */
  const tokensByLaunch = new WeakMap<LaunchContext, LtijsLaunchToken>();

  /**
   * Every refused login or launch: one log line with the reason and what the request named (issuer,
   * client id, deployment; never a token), the metrics counter, and the page that says why.
   */
  const refuse = (req: Request, res: Response, kind: LtiRefusalKind, context?: RefusalContext, details?: Record<string, unknown>): void => {
    const refusal: LtiRefusal = ltiRefusal(kind, context);
    // An unknown /lti/ path is a 404, not a refused launch.
    if (kind !== 'not_found') {
      config.onRefusal?.(kind);
      log('launch refused', { reason: kind, status: refusal.status, path: req.path, issuer: context?.issuer ?? null, clientId: context?.clientId ?? null, deploymentId: context?.deploymentId ?? null, ...details });
    }
    const send = () => sendRefusal(req, res, refusal, LTI_PATHS.launch);
    if (!context?.issuer || !context.clientId) return send();
    // A registered LMS that may not launch yet (inactive, or an unknown deployment) is still one
    // whose site Attest knows: it may frame the page that tells its users why. An unregistered
    // issuer adds nothing, so only the active platforms may frame its refusal.
    platforms.frameOriginsFor(context.issuer, context.clientId).then(
      (own) => {
        const active = (res.locals[FRAME_ORIGINS_LOCAL] as readonly string[] | undefined) ?? [];
        res.locals[FRAME_ORIGINS_LOCAL] = [...new Set([...active, ...own])].sort();
        send();
      },
      () => send(),
    );
  };
  /** The platform a login names (query or form); shown, escaped, so an administrator can register it. */
  const loginContext = (req: Request): RefusalContext => {
    const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { issuer: text(params.iss), clientId: text(params.client_id), deploymentId: text(params.lti_deployment_id) };
  };

  provider.onInvalidToken((req: Request, res: Response) => {
    refuse(req, res, 'launch_not_verified', undefined, { ltijs: (res.locals.err as { details?: unknown } | undefined)?.details });
  });
  provider.onSessionTimeout((req: Request, res: Response) => refuse(req, res, 'session_expired'));
  provider.onUnregisteredPlatform((req: Request, res: Response) => refuse(req, res, 'unregistered_platform', loginContext(req)));
  provider.onInactivePlatform((req: Request, res: Response) => refuse(req, res, 'inactive_platform', loginContext(req)));

  const onLaunch = async (token: LtijsLaunchToken, req: Request, res: Response): Promise<void> => {
    try {
      const claims = ltijsTokenToClaims(token);
      if (!claims) return refuse(req, res, 'launch_incomplete');
      const launch = toLaunchContext(claims);
      const recorded = await recordLaunch(db, launch);
      if (recorded.offersWaiting) await confirmOfferedUnits(launch);
      const ltik = res.locals.ltik as string;
      // 303: the browser follows a POSTed launch with a GET of the UI, whatever the view.
      res.redirect(303, `${config.uiPath}?ltik=${encodeURIComponent(ltik)}`);
    } catch (error) {
      // Not the message: a failed insert's names the query and its parameters (the launch's claims).
      log('launch failed after validation', { error: describeError(error) });
      refuse(req, res, 'launch_failed');
    }
  };
  provider.onConnect(onLaunch);
  provider.onDeepLinking(onLaunch);

  const toLtijs = forwardTo(provider);
  const router = express.Router();
  const parseForm = express.urlencoded({ extended: false });
  const parseJson = express.json();
  const markBodyRead: RequestHandler = (req, _res, next) => {
    // ltijs's Express 4 body-parser would try to read the stream again unless told it is consumed.
    (req as Request & { _body?: boolean })._body = true;
    next();
  };
  router.use((req, res, next) => {
    if (!req.path.startsWith('/lti/')) return next('router');
    crossSiteHeaders(req, res, next);
  });
  // Every page these routes send (refusals, the registration result) may be framed by the active
  // platforms' sites only; read before any handler can answer.
  router.use((_req, res, next) => {
    platforms.activeFrameOrigins().then(
      (origins) => {
        res.locals[FRAME_ORIGINS_LOCAL] = origins;
        next();
      },
      (error: unknown) => next(error),
    );
  });
  router.use(parseForm, parseJson, markBodyRead);

  // Anyone who can reach /lti/register makes the tool fetch, make a key and store a row: a budget
  // per client address (req.ip: the socket's, or X-Forwarded-For's only from proxies TRUST_PROXY
  // names). Counted in this process's memory: with several servers each keeps its own count.
  const rateLimitConfig = config.registrationRateLimit ?? DEFAULT_REGISTRATION_RATE_LIMIT;
  const registrationRateLimit = rateLimit({
    windowMs: rateLimitConfig.windowMs,
    limit: rateLimitConfig.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterMinutes = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + rateLimitConfig.windowMs) - Date.now()) / 60_000));
      log('dynamic registration refused: rate limit', { ip: req.ip });
      sendHtmlPage(res, 429, registrationRateLimitedPage(retryAfterMinutes));
    },
  });

  router.all(LTI_PATHS.register, registrationRateLimit, async (req, res) => {
    const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    const openidConfigurationUrl = typeof params.openid_configuration === 'string' ? params.openid_configuration : '';
    const registrationToken = typeof params.registration_token === 'string' ? params.registration_token : undefined;
    // The LMS registering now is not active yet, but it shows this page in its own frame: its site
    // (where its configuration is served) may frame this answer, and only this one.
    const { recorded: registeringOrigin, framing } = registeringOriginsOf(req, openidConfigurationUrl);
    res.locals[FRAME_ORIGINS_LOCAL] = [...new Set([...(res.locals[FRAME_ORIGINS_LOCAL] as readonly string[]), ...framing])].sort();
    if (openidConfigurationUrl === '') return sendHtmlPage(res, 400, registrationFailedPage('the request has no openid_configuration URL.'));
    // Counted before the first await, so registrations arriving together cannot all pass the cap;
    // one that has just been stored is counted twice until it finishes, which only errs on refusing.
    registrationsInFlight += 1;
    try {
      await pruneStaleRegistrations();
      const waiting = await platforms.countNeverActivated();
      if (waiting + registrationsInFlight > maxInactive) {
        log('dynamic registration refused: too many registrations wait for activation', { waiting, inFlight: registrationsInFlight, max: maxInactive });
        return sendHtmlPage(res, 503, registrationsWaitingPage());
      }
      const { platform, outcome } = await registerDynamically({ openidConfigurationUrl, registrationToken, registeringOrigin }, urls, platforms, { hostPolicy, limits: config.registrationFetchLimits });
      let summary = platform;
      // The site the registration came from is the LMS's own: for hosted Canvas, whose issuer is
      // shared by every school, the only record of where this college's Canvas frames Attest.
      // An update (Moodle's, recognised before posting) changes nothing stored, this included.
      if (registeringOrigin !== null && outcome === 'registered') summary = await platforms.addFrameOrigin(summary.issuer, summary.clientId, registeringOrigin);
      sendHtmlPage(res, 200, registrationDonePage(summary, outcome));
    } catch (error) {
      const failure = error instanceof DynamicRegistrationError ? error : new DynamicRegistrationError(500, 'an unexpected error occurred', { cause: error });
      const cause = failure.cause as (Error & { code?: unknown; reason?: unknown }) | undefined;
      // The cause's kind, not its message: a parser's or driver's message can quote what the platform sent.
      log('dynamic registration failed', { status: failure.status, error: failure.message, cause: cause ? String(cause.reason ?? cause.code ?? cause.name) : undefined, ...failure.logDetails });
      sendHtmlPage(res, failure.status, registrationFailedPage(failure.status >= 500 && failure.status !== 502 ? 'an unexpected error occurred.' : `${failure.message}.`));
    } finally {
      registrationsInFlight -= 1;
    }
  });

  router.all(LTI_PATHS.login, (req, res, next) => {
    const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
    // OIDC third-party initiated login (Security Framework §5.1.1): ltijs would answer its own JSON.
    if (![params.iss, params.login_hint, params.target_link_uri].every((value) => typeof value === 'string' && value !== '')) return refuse(req, res, 'login_incomplete', loginContext(req));
    // ltijs uses target_link_uri as the redirect_uri it asks the platform for; only ours will do.
    let origin: string | null = null;
    try {
      origin = new URL(params.target_link_uri as string).origin;
    } catch {
      origin = null;
    }
    if (origin !== toolOrigin) return refuse(req, res, 'login_not_for_attest', loginContext(req));
    if (isStorageTarget(params.lti_storage_target)) answerLoginWithPlatformStorage(res, params.lti_storage_target);
    else bindNonceOnRedirect(res, config.encryptionKey);
    next();
  }, toLtijs);

  /**
   * The LMS offers platform storage (decision 14): instead of ltijs's redirect, a page that stores
   * state and nonce in the LMS's window and then goes on to the same authorization URL. The binding
   * cookie is still set, so a browser that keeps cookies launches the usual way.
   */
  function answerLoginWithPlatformStorage(res: Response, storageTarget: string): void {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    // An own property: it outlives ltijs swapping in Express 4's response prototype.
    res.redirect = ((...args: unknown[]) => {
      const location = args[args.length - 1];
      let url: URL | null = null;
      try {
        url = typeof location === 'string' ? new URL(location) : null;
      } catch {
        url = null;
      }
      const state = url?.searchParams.get('state');
      const nonce = url?.searchParams.get('nonce');
      if (!url || !state || !nonce) return redirect(...args);
      const existing = res.getHeader('set-cookie');
      const cookies = Array.isArray(existing) ? existing : typeof existing === 'string' ? [existing] : [];
      res.setHeader('Set-Cookie', [...cookies, bindingCookie(config.encryptionKey, state, nonce)]);
      sendHtmlPage(res, 200, platformStorageLoginPage({ authorizationUrl: url.toString(), state, nonce, storageTarget }));
    }) as Response['redirect'];
  }

  router.post(LTI_PATHS.launch, async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const idToken = body.id_token;
    const state = typeof body.state === 'string' ? body.state : '';
    if (typeof idToken !== 'string') return refuse(req, res, 'launch_not_verified');
    const check = checkIdToken(idToken, { now: Date.now() / 1000, clockSkewSeconds: CLOCK_SKEW_SECONDS, toolOrigin });
    const findings: string[] = check.ok ? [] : [...check.findings];
    // How this browser proves it began the login (decision 14): the binding cookie; or, without it,
    // state and nonce read back from the LMS's platform storage by our launch page, which first
    // has to be served (`ask`) and then posts here again (`verified`).
    let binding: 'cookie' | 'ask-platform-storage' | 'platform-storage' = 'cookie';
    if (check.ok) {
      if (body[VERIFIED_FIELD] === '1') {
        const finding = checkPlatformStoragePost(req, { toolOrigin, state, nonce: check.nonce });
        if (finding) findings.push(finding);
        else if (!vouchForStateWithLtijs(req, config.encryptionKey, state, check.issuer)) findings.push('state_not_in_platform_storage');
        else binding = 'platform-storage';
      } else if (!isNonceBoundToState(req, config.encryptionKey, state, check.nonce)) {
        if (isStorageTarget(body.lti_storage_target) && state !== '') binding = 'ask-platform-storage';
        else findings.push('nonce_not_issued_for_this_login');
      }
    }
    if (!check.ok || findings.length > 0) return refuse(req, res, 'launch_not_verified', undefined, { findings });
    // The binding is single-use: clear it whatever ltijs decides next.
    if (binding === 'cookie') res.clearCookie(nonceCookieName(state), { path: '/', httpOnly: true });
    try {
      const refusal = await platforms.refusalFor(check.issuer, check.clientId, check.deploymentId);
      // A new deployment of an active registration: verified against its keys, recorded, and it waits (hold-new-deployment.ts).
      const held = refusal === 'unknown_deployment' ? await holdNewDeployment(platforms, { idToken, ...check }, { hostPolicy, limits: config.registrationFetchLimits, log }) : null;
      if (held === 'not_verified') return refuse(req, res, 'launch_not_verified');
      // Too many waiting (`not_recorded`) falls through to the plain unknown_deployment refusal.
      if (held === 'recorded') return refuse(req, res, 'deployment_pending', { issuer: check.issuer, clientId: check.clientId, deploymentId: check.deploymentId });
      if (refusal && held !== 'approved') {
        // The token is not verified yet: what it names is shown escaped, for the administrator.
        const context = { issuer: check.issuer, clientId: check.clientId, deploymentId: check.deploymentId };
        return refuse(req, res, refusal, context);
      }
      if (binding === 'ask-platform-storage') {
        // Answers only from the platform's authorization origin count: the frame the spec has
        // tools address (Canvas's post_message_forwarding) is served there.
        const authorizationUrl = (await platforms.find(check.issuer, check.clientId))?.authenticationEndpoint;
        if (!authorizationUrl) return refuse(req, res, 'launch_not_verified');
        return sendHtmlPage(res, 200, platformStorageLaunchPage({
          launchUrl: urls.launchUrl,
          idToken,
          state,
          nonce: check.nonce,
          storageTarget: body.lti_storage_target as string,
          platformOrigin: new URL(authorizationUrl).origin,
        }));
      }
      // Moodle's Grade analysis (LtiSubmissionReviewRequest, submission-review.ts): verified and
      // authorised here, so a refused review reaches neither ltijs nor our records.
      const reviewRefusal = await reviewRefusalOf(idToken, check, {
        platforms,
        hostPolicy,
        limits: config.registrationFetchLimits,
        lookup: { membersOf: (course) => rosterSource.membersOf(course), launchedMembers: (course) => latestLaunchMembers(db, course) },
        log,
      });
      if (reviewRefusal) return refuse(req, res, reviewRefusal, { issuer: check.issuer, clientId: check.clientId, deploymentId: check.deploymentId });
    } catch (error) {
      return next(error);
    }
    next();
  }, toLtijs);

  // Only an id_token POST launches: ltijs would also treat an ltik sent to /lti/launch as a launch.
  router.get(LTI_PATHS.keys, toLtijs);
  // Canvas's manual set-up: the developer-key JSON with the configuration Dynamic Registration sends.
  router.get(LTI_PATHS.canvasDeveloperKey, (_req, res) => void res.set('cache-control', 'no-cache').json(toCanvasDeveloperKey(urls)));
  router.use((req, res) => refuse(req, res, 'not_found'));

  const ltikKey = new TextEncoder().encode(config.encryptionKey);
  // ltijs signs an ltik with `iat` and no `exp`, and accepts it for as long as the id token it
  // points at is stored: 24 h after that user's *latest* launch, so an old ltik lived on with every
  // new launch. Here an ltik lives a fixed time from its own launch, whatever came after.
  const now = config.now ?? Date.now;
  const unauthenticated = () => new AppError('unauthenticated', 'Your session has ended. Open the activity again from your course.');

  const authenticate: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return next(unauthenticated());
    try {
      // maxTokenAge needs `iat`: an ltik without one is refused, never admitted for ever.
      const { payload } = await jwtVerify(match[1], ltikKey, { algorithms: ['HS256'], maxTokenAge: launchTokenLifetimeSeconds, currentDate: new Date(now()) });
      const ltik = payload as unknown as Partial<LtijsLtik>;
      if (!ltik.platformUrl || !ltik.clientId || !ltik.deploymentId || !ltik.contextId || !ltik.user) return next(unauthenticated());
      // One statement: the tenant may still launch, and the tokens ltijs stored at the launch.
      const found = await readLaunchOfLtik(db, { issuer: ltik.platformUrl, clientId: ltik.clientId, deploymentId: ltik.deploymentId, contextId: ltik.contextId, user: ltik.user });
      if (tenantRefusalOf(found.registration, ltik.deploymentId)) return next(unauthenticated());
      if (!found.idToken || !found.contextToken) return next(unauthenticated());
      const token = { ...found.idToken, platformContext: found.contextToken } as unknown as LtijsLaunchToken;
      const claims = ltijsTokenToClaims(token);
      if (!claims) return next(unauthenticated());
      const launch: LaunchContext = { ...toLaunchContext(claims), attestAdministrator: found.attestAdministrator };
      tokensByLaunch.set(launch, token);
      res.locals.launch = launch;
      next();
    } catch (error) {
      if ((error as { code?: unknown }).code && String((error as { code: unknown }).code).startsWith('ERR_J')) return next(unauthenticated());
      next(error);
    }
  };

  async function createDeepLinkingResponse(launch: LaunchContext, items: { unitId: string; title: string }[]): Promise<{ returnUrl: string; jwt: string }> {
    const token = tokensByLaunch.get(launch);
    if (!token) throw new AppError('unauthenticated', 'Open the unit picker from your course again.', { logMessage: 'createDeepLinkingResponse: launch did not come from authenticate' });
    if (launch.messageType !== 'LtiDeepLinkingRequest') throw new AppError('forbidden', 'Units can only be placed from the LMS’s “add activity” flow.');
    if (!launch.isInstructor) throw new AppError('forbidden', 'Only instructors can place units in a course.');
    const settings = token.platformContext.deepLinkingSettings;
    if (!settings?.deep_link_return_url) throw new AppError('invalid_request', 'The LMS did not say where to return the chosen units.');
    const refusal = deepLinkingRefusal(settings, items.length);
    if (refusal === 'no_items') throw new AppError('invalid_request', 'Choose at least one unit.');
    if (refusal === 'resource_link_not_accepted') throw new AppError('rule_violation', 'This LMS does not accept activities from Attest here.');
    if (refusal === 'several_items_not_accepted') throw new AppError('rule_violation', 'This LMS accepts only one unit at a time here.');
    const refusalForTenant = await platforms.refusalFor(launch.issuer, launch.clientId, launch.deploymentId);
    if (refusalForTenant) throw unauthenticated();
    // ltijs filters items by accept_types and crashes without it; the spec's default is "anything".
    const forLtijs: LtijsLaunchToken = {
      ...token,
      platformContext: { ...token.platformContext, deepLinkingSettings: { ...settings, accept_types: settings.accept_types ?? ['ltiResourceLink'] } },
    };
    const contentItems = toDeepLinkingItems(items, urls.launchUrl, settings);
    const jwt = await provider.DeepLinking.createDeepLinkingMessage(forLtijs, contentItems, {
      message: items.length === 1 ? `Placed 1 Attest unit.` : `Placed ${items.length} Attest units.`,
    });
    return { returnUrl: settings.deep_link_return_url, jwt };
  }

  return {
    router: router as unknown as RequestHandler,
    authenticate,
    scoreSender: createAgsScoreSender(serviceClient, platforms),
    resultsReader: createGradebookResultsReader(serviceClient, platforms),
    rosterSource,
    createDeepLinkingResponse,
    platforms,
    async close() {
      clearInterval(pruneTimer);
      await provider.close({ silent: true });
    },
  };
}
