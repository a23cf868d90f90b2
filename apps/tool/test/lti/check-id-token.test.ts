import { describe, expect, it } from 'vitest';
import { checkIdToken, decodeJwt } from '../../src/lti/check-id-token.ts';
import { CLAIM_DL_SETTINGS, CLAIM_FOR_USER, CLAIM_MESSAGE_TYPE, CLAIM_RESOURCE_LINK, CLAIM_ROLES, CLAIM_TARGET_LINK_URI, CLAIM_VERSION } from '../../src/lti/claims.ts';
import { aLaunchClaims } from './claims-factory.ts';

const now = 1_800_000_000;
const options = { now, clockSkewSeconds: 30, toolOrigin: 'http://localhost:3000' };

function encode(part: unknown): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

/** An unsigned compact JWS: checkIdToken never looks at the signature (ltijs verifies it). */
function jwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1', typ: 'JWT' }): string {
  return `${encode(header)}.${encode(payload)}.c2ln`;
}

function findings(payload: Record<string, unknown>, header?: Record<string, unknown>) {
  const result = checkIdToken(jwt(payload, header), options);
  return result.ok ? [] : result.findings;
}

describe('checkIdToken', () => {
  it('passes a well-formed launch and names its tenant', () => {
    expect(checkIdToken(jwt(aLaunchClaims()), options)).toEqual({ ok: true, issuer: 'https://moodle.example.ac.uk', clientId: 'client-1', deploymentId: 'dep-1', nonce: 'nonce-1' });
  });

  it('refuses anything that is not a three-part JWT of JSON', () => {
    expect(checkIdToken('not-a-jwt', options)).toEqual({ ok: false, findings: ['malformed_jwt'] });
    expect(checkIdToken('a.b.c', options)).toEqual({ ok: false, findings: ['malformed_jwt'] });
  });

  it('refuses alg none and HS256, and a header without kid', () => {
    expect(findings(aLaunchClaims(), { alg: 'none', kid: 'k1' })).toEqual(['alg_not_rs256']);
    expect(findings(aLaunchClaims(), { alg: 'HS256', kid: 'k1' })).toEqual(['alg_not_rs256']);
    expect(findings(aLaunchClaims(), { alg: 'RS256' })).toEqual(['kid_missing']);
  });

  it('refuses a token that expired more than the skew ago, and accepts one inside the skew', () => {
    expect(findings(aLaunchClaims({ exp: now - 31 }))).toEqual(['expired']);
    expect(findings(aLaunchClaims({ exp: now - 30 }))).toEqual(['expired']);
    expect(findings(aLaunchClaims({ exp: now - 29 }))).toEqual([]);
  });

  it('refuses an iat further in the future than the skew', () => {
    expect(findings(aLaunchClaims({ iat: now + 31 }))).toEqual(['issued_in_future']);
    expect(findings(aLaunchClaims({ iat: now + 30 }))).toEqual([]);
  });

  it('requires exp, iat, nonce and sub', () => {
    expect(findings(aLaunchClaims({ exp: undefined, iat: undefined, nonce: undefined, sub: undefined as unknown as string }))).toEqual(['sub_missing', 'exp_missing', 'iat_missing', 'nonce_missing']);
  });

  it('requires azp when there are several audiences, and azp to be one of them', () => {
    expect(findings(aLaunchClaims({ aud: ['client-1', 'other'] }))).toEqual(['azp_missing_with_several_audiences']);
    expect(findings(aLaunchClaims({ aud: ['client-1', 'other'], azp: 'third' }))).toEqual(['azp_not_an_audience']);
    expect(checkIdToken(jwt(aLaunchClaims({ aud: ['other', 'client-1'], azp: 'client-1' })), options)).toMatchObject({ ok: true, clientId: 'client-1' });
  });

  it('refuses other message types and versions', () => {
    expect(findings(aLaunchClaims({ [CLAIM_MESSAGE_TYPE]: 'LtiStartProctoring' }))).toEqual(['message_type_unsupported']);
    expect(findings(aLaunchClaims({ [CLAIM_VERSION]: '1.1' }))).toEqual(['version_not_1_3_0']);
  });

  it('refuses a roles claim that is missing or not a list of strings', () => {
    expect(findings(aLaunchClaims({ [CLAIM_ROLES]: undefined as unknown as string[] }))).toEqual(['roles_missing']);
    expect(findings(aLaunchClaims({ [CLAIM_ROLES]: [1] as unknown as string[] }))).toEqual(['roles_missing']);
    expect(findings(aLaunchClaims({ [CLAIM_ROLES]: [] }))).toEqual([]);
  });

  it('requires a resource link id and target_link_uri on resource-link launches, and refuses a target on another site', () => {
    expect(findings(aLaunchClaims({ [CLAIM_RESOURCE_LINK]: undefined }))).toEqual(['resource_link_id_missing']);
    expect(findings(aLaunchClaims({ [CLAIM_TARGET_LINK_URI]: undefined }))).toEqual(['target_link_uri_missing']);
    expect(findings(aLaunchClaims({ [CLAIM_TARGET_LINK_URI]: 'https://evil.example/lti/launch' }))).toEqual(['target_link_uri_foreign']);
  });

  it('accepts a submission review naming its learner, its resource link and target, and refuses one without for_user.user_id', () => {
    const review = { [CLAIM_MESSAGE_TYPE]: 'LtiSubmissionReviewRequest', [CLAIM_FOR_USER]: { user_id: 'user-7' } };
    expect(findings(aLaunchClaims(review))).toEqual([]);
    // Moodle's ids are numbers; one sent as a JSON number names the learner as well.
    expect(findings(aLaunchClaims({ ...review, [CLAIM_FOR_USER]: { user_id: 7 } } as never))).toEqual([]);
    expect(findings(aLaunchClaims({ ...review, [CLAIM_FOR_USER]: undefined }))).toEqual(['for_user_missing']);
    expect(findings(aLaunchClaims({ ...review, [CLAIM_FOR_USER]: { user_id: '' } }))).toEqual(['for_user_missing']);
    expect(findings(aLaunchClaims({ ...review, [CLAIM_RESOURCE_LINK]: undefined, [CLAIM_TARGET_LINK_URI]: undefined }))).toEqual(['target_link_uri_missing', 'resource_link_id_missing']);
  });

  it('requires a deep_link_return_url on deep-linking launches', () => {
    const deepLinking = { [CLAIM_MESSAGE_TYPE]: 'LtiDeepLinkingRequest', [CLAIM_RESOURCE_LINK]: undefined };
    expect(findings(aLaunchClaims(deepLinking))).toEqual(['deep_link_return_url_missing']);
    expect(findings(aLaunchClaims({ ...deepLinking, [CLAIM_DL_SETTINGS]: { deep_link_return_url: 'https://moodle.example.ac.uk/dl' } }))).toEqual([]);
  });

  it('lists every finding at once', () => {
    expect(findings({}, { alg: 'none' })).toEqual([
      'alg_not_rs256', 'kid_missing', 'iss_missing', 'aud_missing', 'sub_missing', 'exp_missing', 'iat_missing',
      'nonce_missing', 'message_type_unsupported', 'version_not_1_3_0', 'deployment_id_missing', 'roles_missing',
    ]);
  });
});

describe('decodeJwt', () => {
  it('splits header and payload without verifying', () => {
    expect(decodeJwt(jwt({ a: 1 }))).toEqual({ header: { alg: 'RS256', kid: 'k1', typ: 'JWT' }, payload: { a: 1 } });
  });
});
