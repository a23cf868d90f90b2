import { describe, expect, it } from 'vitest';
import { CLAIM_AGS_ENDPOINT, CLAIM_CUSTOM, CLAIM_MESSAGE_TYPE, CLAIM_NRPS, CLAIM_ROLES } from '../../src/lti/claims.ts';
import { toLaunchContext, toLaunchView } from '../../src/lti/to-launch-context.ts';
import { aLaunchClaims } from './claims-factory.ts';

const m = 'http://purl.imsglobal.org/vocab/lis/v2/membership';

describe('toLaunchContext', () => {
  it('maps a learner launch to its tenant, user, context, unit, line item and roster URL', () => {
    const launch = toLaunchContext(aLaunchClaims());
    expect(launch).toEqual({
      issuer: 'https://moodle.example.ac.uk',
      clientId: 'client-1',
      deploymentId: 'dep-1',
      messageType: 'LtiResourceLinkRequest',
      userId: 'user-42',
      userName: 'Ada Learner',
      userEmail: 'ada@example.ac.uk',
      roles: ['learner'],
      isTeachingAssistant: false,
      rawRoles: [`${m}#Learner`],
      platformName: 'College Moodle',
      contextId: 'course-7',
      contextTitle: 'Customer Service L2',
      resourceLinkId: 'rl-1',
      resourceLinkTitle: 'Unit 201',
      unitId: 'cs2-201',
      lineItemUrl: 'https://moodle.example.ac.uk/mod/lti/services.php/7/lineitems/3/lineitem?type_id=1',
      agsScopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
      membershipsUrl: 'https://moodle.example.ac.uk/mod/lti/services.php/CourseSection/7/bindings/1/memberships',
    });
  });

  it('takes the client id from azp when the token has several audiences', () => {
    expect(toLaunchContext(aLaunchClaims({ aud: ['other', 'client-1'], azp: 'client-1' })).clientId).toBe('client-1');
  });

  it('builds the name from given and family names when there is no full name', () => {
    expect(toLaunchContext(aLaunchClaims({ name: undefined, given_name: 'Ada', family_name: 'Lovelace' })).userName).toBe('Ada Lovelace');
    expect(toLaunchContext(aLaunchClaims({ name: undefined })).userName).toBeNull();
  });

  it('has no unit when the activity carries no attest_unit, or a blank one', () => {
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_CUSTOM]: {} })).unitId).toBeNull();
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_CUSTOM]: { attest_unit: '  ' } })).unitId).toBeNull();
  });

  it('has no line item, scopes or roster URL when the platform offers no AGS or NRPS', () => {
    const launch = toLaunchContext(aLaunchClaims({ [CLAIM_AGS_ENDPOINT]: undefined, [CLAIM_NRPS]: undefined }));
    expect([launch.lineItemUrl, launch.agsScopes, launch.membershipsUrl]).toEqual([null, [], null]);
  });
});

describe('toLaunchView', () => {
  it('sends learners to their unit, instructors and administrators to the caseload, deep links to the picker', () => {
    expect(toLaunchView(toLaunchContext(aLaunchClaims()))).toBe('learner-unit');
    expect(toLaunchView(toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: [`${m}#Instructor`] })))).toBe('instructor-caseload');
    expect(toLaunchView(toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: ['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'] })))).toBe('instructor-caseload');
    expect(toLaunchView(toLaunchContext(aLaunchClaims({ [CLAIM_MESSAGE_TYPE]: 'LtiDeepLinkingRequest', [CLAIM_ROLES]: [`${m}#Instructor`] })))).toBe('deep-linking');
  });

  it('shows a launch with no recognised role the learner view, which asks for nothing it may not see', () => {
    expect(toLaunchView(toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: [] })))).toBe('learner-unit');
  });
});
