import {
  CLAIM_DEPLOYMENT_ID,
  CLAIM_DL_SETTINGS,
  CLAIM_FOR_USER,
  CLAIM_MESSAGE_TYPE,
  CLAIM_RESOURCE_LINK,
  CLAIM_ROLES,
  CLAIM_TARGET_LINK_URI,
  CLAIM_VERSION,
  LTI_VERSION,
  MESSAGE_DEEP_LINKING,
  MESSAGE_RESOURCE_LINK,
  MESSAGE_SUBMISSION_REVIEW,
} from './claims.ts';

// The checks Attest adds in front of ltijs. ltijs verifies the signature, the state cookie, the
// issuer/audience registration and nonce reuse; it does not insist on `exp`/`iat`, accepts an
// `iat` in the future, accepts several audiences without `azp`, and checks only that a deployment
// id is present, never that the platform registered it (docs/decisions/0009).
// These checks run on the *unverified* token before ltijs stores anything, so they can only ever
// refuse a launch, never admit one.

export type IdTokenFinding =
  | 'malformed_jwt'
  | 'alg_not_rs256'
  | 'kid_missing'
  | 'iss_missing'
  | 'aud_missing'
  | 'azp_missing_with_several_audiences'
  | 'azp_not_an_audience'
  | 'sub_missing'
  | 'exp_missing'
  | 'expired'
  | 'iat_missing'
  | 'issued_in_future'
  | 'nonce_missing'
  | 'message_type_unsupported'
  | 'version_not_1_3_0'
  | 'deployment_id_missing'
  | 'roles_missing'
  | 'target_link_uri_missing'
  | 'target_link_uri_foreign'
  | 'resource_link_id_missing'
  | 'deep_link_return_url_missing'
  | 'for_user_missing'
  /** Set by the adapter, not here: the nonce was not the one sent with the login behind `state`. */
  | 'nonce_not_issued_for_this_login';

export interface IdTokenCheckOptions {
  /** Seconds since the epoch; passed in so the check stays pure. */
  readonly now: number;
  /** Tolerated clock difference between the platform and us, in seconds. */
  readonly clockSkewSeconds: number;
  /** Our public origin: a target_link_uri elsewhere was meant for another tool. */
  readonly toolOrigin: string;
}

export type IdTokenCheck =
  | { readonly ok: true; readonly issuer: string; readonly clientId: string; readonly deploymentId: string; readonly nonce: string }
  | { readonly ok: false; readonly findings: readonly IdTokenFinding[] };

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function decodeSegment(segment: string | undefined): Json | null {
  if (segment === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Splits a compact JWS without verifying it. */
export function decodeJwt(token: string): { header: Json; payload: Json } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = decodeSegment(parts[0]);
  const payload = decodeSegment(parts[1]);
  return header && payload ? { header, payload } : null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Every finding, not just the first (Security Framework §5.1.3, LTI 1.3 core §5.3), so a log line
 * names all that is wrong with a forged token. Deployment registration is checked by the caller.
 */
export function checkIdToken(idToken: string, options: IdTokenCheckOptions): IdTokenCheck {
  const decoded = decodeJwt(idToken);
  if (!decoded) return { ok: false, findings: ['malformed_jwt'] };
  const { header, payload } = decoded;
  const findings: IdTokenFinding[] = [];

  // Security Framework §5.1.3 step 6 / §6.1: platforms sign with RS256 and name the key.
  if (header.alg !== 'RS256') findings.push('alg_not_rs256');
  if (!isNonEmptyString(header.kid)) findings.push('kid_missing');

  if (!isNonEmptyString(payload.iss)) findings.push('iss_missing');
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud.filter(isNonEmptyString) : isNonEmptyString(aud) ? [aud] : [];
  if (audiences.length === 0) findings.push('aud_missing');
  // §5.1.3 steps 4–5: several audiences need azp; azp, when present, must be one of them.
  if (audiences.length > 1 && payload.azp === undefined) findings.push('azp_missing_with_several_audiences');
  if (payload.azp !== undefined && (!isNonEmptyString(payload.azp) || !audiences.includes(payload.azp))) findings.push('azp_not_an_audience');
  if (!isNonEmptyString(payload.sub)) findings.push('sub_missing');

  // §5.1.3 steps 7–8: exp and iat are required; allow only a small skew either way.
  if (typeof payload.exp !== 'number') findings.push('exp_missing');
  else if (payload.exp <= options.now - options.clockSkewSeconds) findings.push('expired');
  if (typeof payload.iat !== 'number') findings.push('iat_missing');
  else if (payload.iat > options.now + options.clockSkewSeconds) findings.push('issued_in_future');
  if (!isNonEmptyString(payload.nonce)) findings.push('nonce_missing');

  const messageType = payload[CLAIM_MESSAGE_TYPE];
  if (messageType !== MESSAGE_RESOURCE_LINK && messageType !== MESSAGE_DEEP_LINKING && messageType !== MESSAGE_SUBMISSION_REVIEW) findings.push('message_type_unsupported');
  if (payload[CLAIM_VERSION] !== LTI_VERSION) findings.push('version_not_1_3_0');
  if (!isNonEmptyString(payload[CLAIM_DEPLOYMENT_ID])) findings.push('deployment_id_missing');
  if (!Array.isArray(payload[CLAIM_ROLES]) || !(payload[CLAIM_ROLES] as unknown[]).every((role) => typeof role === 'string')) {
    findings.push('roles_missing');
  }

  const targetLinkUri = payload[CLAIM_TARGET_LINK_URI];
  // Submission Review 1.0 §3.1: a review launch names its resource link and target like a plain one.
  if (messageType === MESSAGE_RESOURCE_LINK || messageType === MESSAGE_SUBMISSION_REVIEW) {
    if (!isNonEmptyString(targetLinkUri)) findings.push('target_link_uri_missing');
    const resourceLink = payload[CLAIM_RESOURCE_LINK];
    if (!isObject(resourceLink) || !isNonEmptyString(resourceLink.id)) findings.push('resource_link_id_missing');
  }
  // §3.2: the for_user claim, with its user_id, is required: without it there is no learner to open.
  if (messageType === MESSAGE_SUBMISSION_REVIEW) {
    const forUser = payload[CLAIM_FOR_USER];
    const userId = isObject(forUser) ? forUser.user_id : undefined;
    if (!isNonEmptyString(userId) && typeof userId !== 'number') findings.push('for_user_missing');
  }
  if (isNonEmptyString(targetLinkUri) && originOf(targetLinkUri) !== options.toolOrigin) findings.push('target_link_uri_foreign');
  if (messageType === MESSAGE_DEEP_LINKING) {
    const settings = payload[CLAIM_DL_SETTINGS];
    if (!isObject(settings) || !isNonEmptyString(settings.deep_link_return_url)) findings.push('deep_link_return_url_missing');
  }

  if (findings.length > 0) return { ok: false, findings };
  return {
    ok: true,
    issuer: payload.iss as string,
    clientId: (payload.azp as string | undefined) ?? (audiences[0] as string),
    deploymentId: payload[CLAIM_DEPLOYMENT_ID] as string,
    nonce: payload.nonce as string,
  };
}
