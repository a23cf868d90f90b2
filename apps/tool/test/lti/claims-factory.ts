import {
  CLAIM_AGS_ENDPOINT,
  CLAIM_CONTEXT,
  CLAIM_CUSTOM,
  CLAIM_DEPLOYMENT_ID,
  CLAIM_MESSAGE_TYPE,
  CLAIM_NRPS,
  CLAIM_RESOURCE_LINK,
  CLAIM_ROLES,
  CLAIM_TARGET_LINK_URI,
  CLAIM_TOOL_PLATFORM,
  CLAIM_VERSION,
  ROLE_CONTEXT_LEARNER,
  SCOPE_AGS_SCORE,
} from '../../src/lti/claims.ts';
import type { IdTokenClaims } from '../../src/lti/id-token-claims.ts';

/** A Moodle-like resource-link launch for a learner; override what a test is about. */
export function aLaunchClaims(overrides: Partial<IdTokenClaims> = {}): IdTokenClaims {
  const now = 1_800_000_000;
  return {
    iss: 'https://moodle.example.ac.uk',
    aud: 'client-1',
    sub: 'user-42',
    exp: now + 60,
    iat: now,
    nonce: 'nonce-1',
    name: 'Ada Learner',
    email: 'ada@example.ac.uk',
    [CLAIM_MESSAGE_TYPE]: 'LtiResourceLinkRequest',
    [CLAIM_VERSION]: '1.3.0',
    [CLAIM_DEPLOYMENT_ID]: 'dep-1',
    [CLAIM_TARGET_LINK_URI]: 'http://localhost:3000/lti/launch',
    [CLAIM_ROLES]: [ROLE_CONTEXT_LEARNER],
    [CLAIM_RESOURCE_LINK]: { id: 'rl-1', title: 'Unit 201' },
    [CLAIM_CONTEXT]: { id: 'course-7', title: 'Customer Service L2' },
    [CLAIM_TOOL_PLATFORM]: { name: 'College Moodle', guid: 'moodle.example.ac.uk' },
    [CLAIM_CUSTOM]: { attest_unit: 'cs2-201' },
    [CLAIM_AGS_ENDPOINT]: { scope: [SCOPE_AGS_SCORE], lineitem: 'https://moodle.example.ac.uk/mod/lti/services.php/7/lineitems/3/lineitem?type_id=1' },
    [CLAIM_NRPS]: { context_memberships_url: 'https://moodle.example.ac.uk/mod/lti/services.php/CourseSection/7/bindings/1/memberships' },
    ...overrides,
  } as IdTokenClaims;
}
