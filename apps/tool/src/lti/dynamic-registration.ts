import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import {
  DR_PLATFORM_CONFIGURATION,
  DR_TOOL_CONFIGURATION,
  MESSAGE_DEEP_LINKING,
  MESSAGE_RESOURCE_LINK,
  SCOPE_AGS_LINEITEM,
  SCOPE_AGS_LINEITEM_READONLY,
  SCOPE_AGS_RESULT_READONLY,
  SCOPE_AGS_SCORE,
  SCOPE_NRPS_MEMBERSHIP_READONLY,
} from './claims.ts';
import { systemActor } from '../audit/index.ts';
import { fetchPlatformJson, FetchRefusal, parsePlatformUrl, resolveAllowedAddresses } from './fetch-platform-json.ts';
import type { FetchLimits, HostPolicy } from './fetch-platform-json.ts';
import { escapeHtml, htmlPage } from './html-page.ts';
import type { HtmlPage } from './html-page.ts';
import { SHARED_ISSUERS } from './platform-registry.ts';
import type { PlatformRegistry, PlatformSummary } from './platform-registry.ts';
import { toPlatformFamily } from './to-launch-context.ts';

// LTI Dynamic Registration 1.0 (https://www.imsglobal.org/spec/lti-dr/v1p0), as Moodle 4.x/5.x and Canvas
// drive it: the admin pastes our /lti/register URL, the LMS opens it in an iframe with
// `openid_configuration` and `registration_token`, we read the configuration, post our tool
// configuration to its registration endpoint, and tell the parent window we are done.
// We do this ourselves instead of through ltijs's DynamicRegistration because ltijs drops the
// `deployment_id` the platform returns (§3.6.2), and Attest refuses launches from unknown deployments;
// docs/decisions/0009 lists the other reasons (unguarded fetches, no issuer check).

/** DR §3.4 OpenID configuration: the fields we need from it. */
export const OpenIdConfigurationSchema = z.looseObject({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  authorization_server: z.string().optional(),
  [DR_PLATFORM_CONFIGURATION]: z
    .looseObject({ product_family_code: z.string().optional(), version: z.string().optional() })
    .optional(),
});
export type OpenIdConfiguration = z.infer<typeof OpenIdConfigurationSchema>;

/** Whether the configuration is hosted Canvas's: product family `canvas` and one of its shared issuers (SHARED_ISSUERS), exactly. */
export function isCanvasSharedIssuer(config: OpenIdConfiguration): boolean {
  return toPlatformFamily(config[DR_PLATFORM_CONFIGURATION]?.product_family_code) === 'canvas' && SHARED_ISSUERS.includes(config.issuer);
}

/**
 * DR §3.6 registration response: the client id and, where the platform made one, the deployment id.
 * Moodle puts it inside the tool configuration claim (registration_helper::config_to_registration);
 * Canvas at the TOP LEVEL, and only when its registration flow created the root-account deployment
 * (canvas-lms app/controllers/lti/ims/dynamic_registration_controller.rb #render_registration:
 * `deployment_id: deployment&.deployment_id` then `.compact`). Either is read; neither may be.
 */
export const RegistrationResponseSchema = z.looseObject({
  client_id: z.string().min(1),
  deployment_id: z.string().min(1).optional(),
  [DR_TOOL_CONFIGURATION]: z.looseObject({ deployment_id: z.string().min(1).optional() }).optional(),
});

/** The deployment id a registration response carries, top level first (Canvas), then the claim (Moodle). */
export function deploymentIdOf(response: z.infer<typeof RegistrationResponseSchema>): string | undefined {
  return response.deployment_id ?? response[DR_TOOL_CONFIGURATION]?.deployment_id;
}

/** Canvas's LTI extensions in a tool configuration (canvas-lms doc/api/registration.md, "LTI Tool Configuration schema"). */
export const CANVAS_PRIVACY_LEVEL = 'https://canvas.instructure.com/lti/privacy_level';
export const CANVAS_VISIBILITY = 'https://canvas.instructure.com/lti/visibility';

export interface ToolUrls {
  readonly publicUrl: string;
  readonly loginUrl: string;
  readonly launchUrl: string;
  readonly jwksUrl: string;
}

/**
 * DR §3.5 tool configuration: deep-linking and resource-link messages, AGS and NRPS scopes.
 *
 * Placements are named because Canvas makes every message without `placements` a `link_selection`
 * and keeps only the first message per placement (canvas-lms app/models/lti/ims/registration.rb
 * #placements): unnamed, our resource-link message took link_selection and the deep-linking one
 * was dropped, so instructors could not place units and no line item reached the gradebook.
 * - Deep linking from `assignment_selection` (a new assignment: Canvas makes its line item) and
 *   `link_selection` (a module item), listed first so it owns link_selection.
 * - The caseload as a resource link in `course_navigation`, seen by those who manage the course
 *   (visibility `admins`: in a course, administrators and instructors).
 * Moodle reads the messages' types and ignores Canvas's placement names.
 * `privacy_level: public` asks Canvas for names and emails, which assessors need; without it Canvas
 * infers the level from `claims` (#privacy_level, #infer_privacy_level_from).
 */
export function toToolConfiguration(urls: ToolUrls): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.loginUrl,
    redirect_uris: [urls.launchUrl],
    client_name: 'Attest',
    jwks_uri: urls.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: [SCOPE_AGS_LINEITEM, SCOPE_AGS_LINEITEM_READONLY, SCOPE_AGS_RESULT_READONLY, SCOPE_AGS_SCORE, SCOPE_NRPS_MEMBERSHIP_READONLY].join(' '),
    [DR_TOOL_CONFIGURATION]: {
      domain: new URL(urls.publicUrl).host,
      description: 'Evidence portfolios and sign-off for vocational qualification units.',
      target_link_uri: urls.launchUrl,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      [CANVAS_PRIVACY_LEVEL]: 'public',
      messages: [
        { type: MESSAGE_DEEP_LINKING, target_link_uri: urls.launchUrl, label: 'Attest unit', placements: ['assignment_selection', 'link_selection'] },
        { type: MESSAGE_RESOURCE_LINK, target_link_uri: urls.launchUrl, label: 'Attest caseload', placements: ['course_navigation'], [CANVAS_VISIBILITY]: 'admins' },
      ],
    },
  };
}

/** A refused registration. `message` names the step and host, safe to show; `logDetails` stay in the log. */
export class DynamicRegistrationError extends Error {
  readonly status: number;
  readonly logDetails: Readonly<Record<string, unknown>>;
  constructor(status: number, message: string, options: { cause?: unknown; logDetails?: Readonly<Record<string, unknown>> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DynamicRegistrationError';
    this.status = status;
    this.logDetails = options.logDetails ?? {};
  }
}

export interface RegistrationFetchOptions {
  /** Which addresses the tool may fetch from while registering (fetch-platform-json.ts). */
  readonly hostPolicy: HostPolicy;
  readonly limits?: FetchLimits;
}

/** A refused URL is the request's fault (400); a platform that answers badly is a bad gateway (502). */
function toRegistrationError(error: unknown): DynamicRegistrationError {
  if (error instanceof DynamicRegistrationError) return error;
  if (error instanceof FetchRefusal) {
    const isRequestFault = ['invalid_url', 'scheme_not_http', 'credentials_in_url', 'host_not_allowed'].includes(error.reason);
    return new DynamicRegistrationError(isRequestFault ? 400 : 502, error.message, { cause: error });
  }
  return new DynamicRegistrationError(500, 'an unexpected error occurred', { cause: error });
}

/**
 * What a registration did: a new platform (`registered`), or Moodle's "Update" of one Attest holds,
 * where nothing stored in Attest changes: Moodle took our configuration (`updated`), or already held
 * it and nothing was posted (`up-to-date`).
 */
export interface DynamicRegistrationResult {
  readonly platform: PlatformSummary;
  readonly outcome: 'registered' | 'updated' | 'up-to-date';
}

/**
 * Runs the whole exchange and registers the platform INACTIVE: as in Moodle, a dynamically
 * registered tool waits for an administrator's approval before anyone can launch it. Every check
 * runs before anything is stored, so a refused registration leaves no platform and no key behind.
 * Moodle's "Update" of a registration Attest holds is recognised from its registration token before
 * anything is posted (recogniseMoodleRegistration) and keeps the platform as it is.
 */
export async function registerDynamically(
  params: { openidConfigurationUrl: string; registrationToken: string | undefined; registeringOrigin?: string | null },
  urls: ToolUrls,
  registry: PlatformRegistry,
  options: RegistrationFetchOptions,
): Promise<DynamicRegistrationResult> {
  try {
    return await register(params, urls, registry, options);
  } catch (error) {
    throw toRegistrationError(error);
  }
}

async function register(
  params: { openidConfigurationUrl: string; registrationToken: string | undefined; registeringOrigin?: string | null },
  urls: ToolUrls,
  registry: PlatformRegistry,
  { hostPolicy, limits }: RegistrationFetchOptions,
): Promise<DynamicRegistrationResult> {
  const configurationUrl = parsePlatformUrl(params.openidConfigurationUrl, 'openid_configuration URL');
  const configuration = OpenIdConfigurationSchema.safeParse(await fetchPlatformJson(configurationUrl.href, 'OpenID configuration', { headers: { accept: 'application/json' } }, hostPolicy, limits));
  // Only the names of the fields at fault: the values are whatever the fetched URL sent.
  if (!configuration.success) throw new DynamicRegistrationError(400, `the platform's OpenID configuration at ${configurationUrl.host} is incomplete (missing or invalid: ${fieldsAtFault(configuration.error)})`);
  const config = configuration.data;
  // DR 1.0 §3.5.1 "Issuer and OpenID Configuration URL Match"
  // (https://www.imsglobal.org/spec/lti-dr/v1p0#issuer-and-openid-configuration-url-match): the
  // configuration must come from the platform it names as issuer, or any site could hand us a
  // configuration claiming to be a college's Moodle. The spec asks for the issuer to prefix the
  // openid_configuration URL; we hold both to the same origin, which a Moodle in a sub-folder passes.
  //
  // One documented exception: hosted Canvas. Every Instructure-hosted school signs its launches with
  // a shared issuer (SHARED_ISSUERS), yet Canvas's registration iframe hands us the
  // configuration URL of the school's own Canvas (college.instructure.com, or a vanity domain), so
  // the two can never share an origin. We accept that mismatch only when the configuration calls
  // itself Canvas and names one of those issuers exactly; every other rule below still applies (host
  // policy for every endpoint, no redirects, limits). That is safe enough because:
  // - the platform is stored inactive: nobody launches until an Attest administrator activates a
  //   registration they started, and its name records the site the configuration came from;
  // - an issuer + client id already stored is refused (409) and never overwritten, so a forged
  //   configuration cannot replace a real Canvas's keys or endpoints, only add an inactive row;
  // - the keys and endpoints stored are the ones named by the configuration the administrator's own
  //   Canvas served, at the URL that Canvas put in its registration iframe.
  // The worst a forger can do is leave an inactive stray, or take a client id first so that the real
  // registration is refused until the administrator deletes the stray (register-platform delete).
  const issuerOrigin = originOf(config.issuer);
  if (issuerOrigin !== configurationUrl.origin && !isCanvasSharedIssuer(config)) {
    throw new DynamicRegistrationError(400, `the platform's issuer ${issuerOrigin ?? '(not a URL)'} is not on the site its OpenID configuration came from (${configurationUrl.origin})`);
  }
  // Stored now and fetched later (keys at every launch, tokens for grades and rosters): the same
  // rules, checked once here. DNS may change later; the policy is re-applied at each fetch we make.
  for (const [what, url] of [['jwks_uri', config.jwks_uri], ['token_endpoint', config.token_endpoint]] as const) {
    await resolveAllowedAddresses(parsePlatformUrl(url, what), hostPolicy);
  }
  // Only browsers go there (the OIDC redirect), so only its form matters.
  parsePlatformUrl(config.authorization_endpoint, 'authorization_endpoint');
  // Decided before anything is posted: once posted, Moodle has applied what we sent, whatever we
  // decide afterwards (issue 14: Moodle updated, Attest then said "already registered").
  const intent = await recogniseMoodleRegistration(config, params.registrationToken, registry, { hostPolicy, ...(limits ? { limits } : {}) });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (params.registrationToken) headers.authorization = `Bearer ${params.registrationToken}`;
  // Moodle resets the tool to "preconfigured only" on every POST (registration_to_config), taking it
  // out of the activity chooser: when Moodle already holds what we would post, we post nothing.
  if (intent.kind === 'update' && (await moodleHoldsOurConfiguration(config.registration_endpoint, headers, intent, urls, { hostPolicy, ...(limits ? { limits } : {}) }))) {
    return { platform: intent.platform, outcome: 'up-to-date' };
  }
  const registration = RegistrationResponseSchema.safeParse(
    await fetchPlatformJson(config.registration_endpoint, 'registration endpoint', { method: 'POST', headers, body: JSON.stringify(toToolConfiguration(urls)) }, hostPolicy, limits),
  );
  const registrationHost = new URL(config.registration_endpoint).host;
  if (!registration.success) throw new DynamicRegistrationError(502, `the platform's registration endpoint at ${registrationHost} answered without a client_id`);
  const deploymentId = deploymentIdOf(registration.data);
  if (intent.kind === 'update') {
    // registration_helper::validate_registration_token() keeps the type's client id and
    // config_to_registration() answers its type id as the deployment: anything else is not the
    // registration we checked, and we keep ours untouched.
    if (registration.data.client_id !== intent.platform.clientId || (deploymentId !== undefined && deploymentId !== intent.typeId)) {
      throw new DynamicRegistrationError(502, `the platform's registration endpoint at ${registrationHost} answered the update with another client id or deployment than the registration it updates; nothing was changed in Attest`, {
        logDetails: { issuer: config.issuer, expectedClientId: intent.platform.clientId, clientId: registration.data.client_id, expectedDeploymentId: intent.typeId, deploymentId },
      });
    }
    return { platform: intent.platform, outcome: 'updated' };
  }
  if (await registry.find(config.issuer, registration.data.client_id)) {
    // Re-registering would reset an activated platform to inactive; the admin removes it first.
    // The client id is the platform's text: logged (logDetails), not shown.
    throw new DynamicRegistrationError(409, `this platform (issuer ${issuerOrigin}) is already registered with the client id it answered; an Attest administrator must delete that registration first`, {
      logDetails: { issuer: config.issuer, clientId: registration.data.client_id },
    });
  }
  const family = config[DR_PLATFORM_CONFIGURATION]?.product_family_code ?? 'LMS';
  const platform = await registry.register({
    issuer: config.issuer,
    clientId: registration.data.client_id,
    // The site that framed the registration (the college's own Canvas), else the one the
    // configuration came from: for hosted Canvas neither the issuer nor the configuration's host
    // (canvas.instructure.com) names the school.
    name: `${family} at ${params.registeringOrigin ? new URL(params.registeringOrigin).host : configurationUrl.host}`,
    authenticationEndpoint: config.authorization_endpoint,
    accessTokenEndpoint: config.token_endpoint,
    jwksUrl: config.jwks_uri,
    ...(config.authorization_server ? { authorizationServer: config.authorization_server } : {}),
    deploymentIds: deploymentId ? [deploymentId] : [],
    isActive: false,
    registeredVia: 'dynamic',
  }, systemActor('dynamic-registration'));
  return { platform, outcome: 'registered' };
}

/**
 * Moodle's registration token (mod/lti/startltiadvregistration.php): a JWT Moodle signs with its
 * own key (jwks_helper::get_private_key(), published at its jwks_uri), valid for an hour. Scope
 * `reg` (registration_helper::REG_TOKEN_OP_NEW_REG): `sub` is the client id Moodle is about to
 * issue. Scope `reg-update` (REG_TOKEN_OP_UPDATE_REG, the "Update" of a tool type): `sub` is the
 * type id, which config_to_registration() gives tools as their deployment id, and
 * validate_registration_token() keeps the type's client id. Moodle's openid-configuration.php says
 * nothing about which registration is meant; the token is the only place that does.
 */
const MoodleRegistrationTokenSchema = z.looseObject({ sub: z.string().min(1), scope: z.enum(['reg', 'reg-update']) });

type RegistrationIntent = { readonly kind: 'new' } | { readonly kind: 'update'; readonly platform: PlatformSummary; readonly typeId: string };

/**
 * Reads a Moodle registration token before anything is posted to Moodle.
 * - `reg` naming a client id Attest already holds for this issuer: refused (409). Moodle issues a
 *   fresh client id per `reg` token, so this is a token used twice (Moodle would answer
 *   `token_already_used` after our POST) or one Attest could only take by overwriting a registration.
 * - `reg-update` of a type Attest holds (same issuer, the type id among its deployments): an
 *   update. Its token must verify with the keys Attest already trusts for that platform and the
 *   configuration must name the endpoints Attest holds, else refused (400 / 409): an update keeps the
 *   client id, keys and endpoints, so it must not be a way to change them.
 * - `reg-update` of a type Attest does not hold (deleted here, or pruned before activation): Moodle
 *   keeps the type's client id, which Attest does not have, so it is registered as new (inactive).
 * Any other token (Canvas's, an opaque one, a token we cannot read) is a new registration, checked
 * after the platform answers as before.
 */
async function recogniseMoodleRegistration(config: OpenIdConfiguration, token: string | undefined, registry: PlatformRegistry, { hostPolicy, limits }: RegistrationFetchOptions): Promise<RegistrationIntent> {
  if (toPlatformFamily(config[DR_PLATFORM_CONFIGURATION]?.product_family_code) !== 'moodle' || !token) return { kind: 'new' };
  const claims = MoodleRegistrationTokenSchema.safeParse(decodedClaims(token));
  if (!claims.success) return { kind: 'new' };
  const issuerOrigin = originOf(config.issuer);
  if (claims.data.scope === 'reg') {
    // Unverified: it can only make us refuse, never admit. The client id is logged, not shown.
    if (await registry.find(config.issuer, claims.data.sub)) {
      throw new DynamicRegistrationError(409, `this platform (issuer ${issuerOrigin}) is already registered with the client id its registration token names; an Attest administrator must delete that registration first`, {
        logDetails: { issuer: config.issuer, clientId: claims.data.sub },
      });
    }
    return { kind: 'new' };
  }
  const typeId = claims.data.sub;
  const updated = (await registry.list()).filter((platform) => platform.issuer === config.issuer && platform.deploymentIds.includes(typeId));
  if (updated.length === 0) return { kind: 'new' };
  const [platform] = updated;
  if (updated.length > 1 || !platform) {
    throw new DynamicRegistrationError(409, `this platform (issuer ${issuerOrigin}) is updating a deployment that ${updated.length} Attest registrations list; an Attest administrator must remove the deployment from all but one first`, {
      logDetails: { issuer: config.issuer, deploymentId: typeId, clientIds: updated.map((p) => p.clientId) },
    });
  }
  const changed = ([['jwks_uri', platform.jwksUrl, config.jwks_uri], ['token_endpoint', platform.accessTokenEndpoint, config.token_endpoint], ['authorization_endpoint', platform.authenticationEndpoint, config.authorization_endpoint]] as const)
    .filter(([, held, named]) => held !== named)
    .map(([field]) => field);
  if (changed.length > 0) {
    throw new DynamicRegistrationError(409, `this platform (issuer ${issuerOrigin}) is updating its Attest registration but names other endpoints than Attest holds for it (${changed.join(', ')}); an Attest administrator must delete that registration first`, {
      logDetails: { issuer: config.issuer, clientId: platform.clientId, changed },
    });
  }
  // The keys Attest already trusts for this platform (equal to the configuration's, checked above).
  const keys = await fetchPlatformJson(config.jwks_uri, 'JWKS', { headers: { accept: 'application/json' } }, hostPolicy, limits);
  try {
    await jwtVerify(token, createLocalJWKSet(keys as JSONWebKeySet), { algorithms: ['RS256'], requiredClaims: ['exp'], clockTolerance: 60 });
  } catch (error) {
    throw new DynamicRegistrationError(400, `the registration token for this update is not one the platform (issuer ${issuerOrigin}) signed, or it has expired`, { cause: error, logDetails: { issuer: config.issuer, clientId: platform.clientId } });
  }
  return { kind: 'update', platform, typeId };
}

/** What Moodle answers on GET with an update token (openid-registration.php → config_to_registration($config, $type->id, $type)). */
const HeldRegistrationSchema = z.looseObject({
  client_id: z.string(),
  initiate_login_uri: z.string(),
  redirect_uris: z.array(z.string()),
  jwks_uri: z.string(),
  scope: z.string().optional(),
  [DR_TOOL_CONFIGURATION]: z.looseObject({
    deployment_id: z.string(),
    target_link_uri: z.string().optional(),
    messages: z.array(z.looseObject({ type: z.string(), target_link_uri: z.string().optional() })).optional(),
    claims: z.array(z.string()).optional(),
  }),
});

/**
 * Whether the Moodle tool type being updated already launches, links, grants and shares exactly as
 * our configuration asks: the same login, redirect, keys and launch URLs, a deep-linking message to
 * our launch URL, and at least our scopes and claims. Read with Moodle's GET on its registration
 * endpoint, which changes nothing. Any failure there means "we cannot tell", and we post as usual.
 */
async function moodleHoldsOurConfiguration(registrationEndpoint: string, headers: Record<string, string>, intent: { readonly platform: PlatformSummary; readonly typeId: string }, urls: ToolUrls, { hostPolicy, limits }: RegistrationFetchOptions): Promise<boolean> {
  let answer: unknown;
  try {
    answer = await fetchPlatformJson(registrationEndpoint, 'registration endpoint', { headers: { accept: 'application/json', ...(headers.authorization ? { authorization: headers.authorization } : {}) } }, hostPolicy, limits);
  } catch {
    return false;
  }
  const held = HeldRegistrationSchema.safeParse(answer);
  if (!held.success) return false;
  const ours = toToolConfiguration(urls);
  const heldTool = held.data[DR_TOOL_CONFIGURATION];
  const includesAll = (have: readonly string[], want: readonly string[]) => want.every((item) => have.includes(item));
  const ourScopes = String(ours.scope).split(' ');
  const ourClaims = (ours[DR_TOOL_CONFIGURATION] as { claims: readonly string[] }).claims;
  return (
    held.data.client_id === intent.platform.clientId &&
    heldTool.deployment_id === intent.typeId &&
    held.data.initiate_login_uri === urls.loginUrl &&
    held.data.redirect_uris.length === 1 && held.data.redirect_uris[0] === urls.launchUrl &&
    held.data.jwks_uri === urls.jwksUrl &&
    heldTool.target_link_uri === urls.launchUrl &&
    (heldTool.messages ?? []).some((message) => message.type === MESSAGE_DEEP_LINKING && message.target_link_uri === urls.launchUrl) &&
    includesAll((held.data.scope ?? '').split(' '), ourScopes) &&
    includesAll(heldTool.claims ?? [], ourClaims)
  );
}

/** A JWT's claims, unverified, or null when the token is not a JWT (DR leaves tokens opaque). */
function decodedClaims(token: string): unknown {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/** The paths of the fields a schema refused, e.g. `issuer, jwks_uri`. */
function fieldsAtFault(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => issue.path.join('.') || '(the whole document)'))].join(', ');
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * DR §3.7: the page tells its opener/parent the flow is over, posting to `*` as Canvas's
 * documentation says (canvas-lms doc/api/registration.md, "Returning the Administrator to Canvas":
 * `window.parent.postMessage({subject: 'org.imsglobal.lti.close'}, '*')`). The frame's parent is
 * the admin page on the college's own Canvas domain, while the only origin we know is the
 * configuration URL's, on the issuer's host (canvas.instructure.com): a message aimed there is
 * dropped by the browser and Canvas never reaches its review step. The message carries nothing
 * but its subject, so no one learns anything from it.
 */
export function registrationDonePage(summary: PlatformSummary, outcome: DynamicRegistrationResult['outcome'] = 'registered'): HtmlPage {
  const script = `(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');`;
  const platformName = escapeHtml(summary.name ?? summary.issuer);
  const kept = `Attest recognised this as an update of its registration with ${platformName} (client id <code>${escapeHtml(summary.clientId)}</code>): the client id, keys and deployment are unchanged, and it is ${summary.isActive ? 'still active' : 'still waiting for an Attest administrator to activate it'}.`;
  if (outcome === 'up-to-date') {
    return htmlPage({
      title: 'Attest registration up to date',
      bodyHtml: `<h1>Attest's registration is up to date</h1>
<p>${kept}</p>
<p>Moodle already holds Attest's current configuration, so nothing was sent: the tool stays as it is in Moodle, including whether it shows in the activity chooser.</p>`,
      script,
    });
  }
  if (outcome === 'updated') {
    // registration_helper::registration_to_config() sets lti_coursevisible to "preconfigured" on
    // every update, whatever the tool answers: the administrator is told how to put it back.
    return htmlPage({
      title: 'Attest registration updated',
      bodyHtml: `<h1>Attest's registration is updated</h1>
<p>${kept}</p>
<p>Moodle sets the tool's <em>Tool configuration usage</em> back to <em>Show as preconfigured tool when adding an external tool</em> on every update. To show Attest in the activity chooser again, edit the tool in <em>Site administration › Plugins › Activity modules › External tool › Manage tools</em> and choose <em>Show in activity chooser and as a preconfigured tool</em>.</p>`,
      script,
    });
  }
  return htmlPage({
    title: 'Attest registered',
    bodyHtml: `<h1>Attest is registered</h1>
<p>Attest is registered with ${platformName} (client id <code>${escapeHtml(summary.clientId)}</code>).
An Attest administrator must activate it before anyone can launch it.</p>`,
    script,
  });
}

/** 429: this address has opened /lti/register too often; `retryAfterMinutes` until it may again. */
export function registrationRateLimitedPage(retryAfterMinutes: number): HtmlPage {
  return htmlPage({
    title: 'Too many Attest registrations',
    bodyHtml: `<h1>Too many registration attempts</h1>
<p>Attest has received too many registration requests from your network address. Nothing was registered.</p>
<p>Try again in ${retryAfterMinutes === 1 ? 'a minute' : `${retryAfterMinutes} minutes`}. If you did not start these registrations, tell the Attest administrator.</p>`,
  });
}

/** 503: too many dynamically registered platforms wait for an administrator; nothing new is registered. */
export function registrationsWaitingPage(): HtmlPage {
  return htmlPage({
    title: 'Attest registration paused',
    bodyHtml: `<h1>Attest cannot take another registration now</h1>
<p>Too many registrations are waiting for an Attest administrator to activate them. Nothing was registered.</p>
<p>Ask the Attest administrator to activate or delete the waiting registrations (<code>register-platform list</code>); registrations nobody activates are deleted after a while, after which you can try again.</p>`,
  });
}

export function registrationFailedPage(message: string): HtmlPage {
  return htmlPage({
    title: 'Attest registration failed',
    bodyHtml: `<h1>Attest could not be registered</h1>
<p>Attest could not be registered: ${escapeHtml(message)}</p>
<p>Check the registration URL in your LMS and try again; the Attest administrator can see the details in the tool's log.</p>`,
  });
}
