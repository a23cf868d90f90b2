import { describe, expect, it } from 'vitest';
import { CLAIM_AGS_ENDPOINT, CLAIM_CUSTOM, CLAIM_FOR_USER, CLAIM_MESSAGE_TYPE, CLAIM_NRPS, CLAIM_ROLES, CLAIM_TARGET_LINK_URI, CLAIM_TOOL_PLATFORM, ROLE_CONTEXT_INSTRUCTOR, ROLE_CONTEXT_TEACHING_ASSISTANT, SCOPE_AGS_SCORE } from '../../src/lti/claims.ts';
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
      lineItemsUrl: null,
      membershipsUrl: 'https://moodle.example.ac.uk/mod/lti/services.php/CourseSection/7/bindings/1/memberships',
      isInstructor: false,
      canPostScores: true,
      platformFamily: 'other',
      focusLearnerUserId: null,
      reviewedLearnerUserId: null,
    });
  });

  it('keeps the course’s line items container, where Attest sees the activities deep linking created', () => {
    const lineitems = 'https://moodle.example.ac.uk/mod/lti/services.php/7/lineitems?type_id=1';
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_AGS_ENDPOINT]: { scope: [SCOPE_AGS_SCORE], lineitems } })).lineItemsUrl).toBe(lineitems);
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

describe('toLaunchContext: the facts every route reads', () => {
  const withRoles = (...roles: string[]) => toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: roles }));

  it('counts instructors and administrators as teaching, and no one else', () => {
    expect(withRoles(`${m}#Instructor`).isInstructor).toBe(true);
    expect(withRoles('http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator').isInstructor).toBe(true);
    expect(withRoles(ROLE_CONTEXT_TEACHING_ASSISTANT).isInstructor).toBe(true);
    expect(withRoles(`${m}#Learner`).isInstructor).toBe(false);
    expect(withRoles().isInstructor).toBe(false);
  });

  it('may post scores only with both a line item and the score scope, whoever launched', () => {
    const withAgs = (ags: { scope?: string[]; lineitem?: string } | undefined) => toLaunchContext(aLaunchClaims({ [CLAIM_AGS_ENDPOINT]: ags })).canPostScores;
    expect(withAgs({ scope: [SCOPE_AGS_SCORE], lineitem: 'https://lms/li/1' })).toBe(true);
    expect(withAgs({ scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly'], lineitem: 'https://lms/li/1' })).toBe(false);
    expect(withAgs({ scope: [SCOPE_AGS_SCORE] })).toBe(false);
    expect(withAgs(undefined)).toBe(false);
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: [`${m}#Instructor`] })).canPostScores).toBe(true);
  });

  it('names the platform family from tool_platform’s product_family_code, exactly, whatever the issuer', () => {
    const family = (code: string | undefined, iss = 'https://lms.college.ac.uk') => toLaunchContext(aLaunchClaims({ iss, [CLAIM_TOOL_PLATFORM]: { name: 'LMS', product_family_code: code } })).platformFamily;
    expect(family('moodle')).toBe('moodle');
    expect(family('canvas')).toBe('canvas');
    expect(family('canvas', 'https://canvas.instructure.com')).toBe('canvas');
    expect(family('Canvas')).toBe('other');
    expect(family('desire2learn')).toBe('other');
    expect(family(undefined, 'https://canvas.instructure.com')).toBe('other');
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_TOOL_PLATFORM]: undefined })).platformFamily).toBe('other');
  });
});

describe('toLaunchContext: the learner a grader launch opens', () => {
  const graderUrl = (query: string) => `http://localhost:3000/lti/launch?${query}`;
  const instructorLaunch = (target: string, overrides: Parameters<typeof aLaunchClaims>[0] = {}) =>
    toLaunchContext(aLaunchClaims({ [CLAIM_ROLES]: [ROLE_CONTEXT_INSTRUCTOR], [CLAIM_TARGET_LINK_URI]: target, ...overrides }));

  it('reads attest_learner from the target link URI of an instructor’s launch of that unit', () => {
    expect(instructorLaunch(graderUrl('attest_unit=cs2-201&attest_learner=user-7')).focusLearnerUserId).toBe('user-7');
    expect(instructorLaunch(graderUrl('attest_unit=cs2-201&attest_learner=user-7'), { [CLAIM_ROLES]: [ROLE_CONTEXT_TEACHING_ASSISTANT] }).focusLearnerUserId).toBe('user-7');
  });

  it('ignores it in a learner’s launch, whoever it names', () => {
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_TARGET_LINK_URI]: graderUrl('attest_unit=cs2-201&attest_learner=user-7') })).focusLearnerUserId).toBeNull();
  });

  it('ignores it when the URL names another unit, no unit, or the activity has no unit', () => {
    expect(instructorLaunch(graderUrl('attest_unit=cs2-999&attest_learner=user-7')).focusLearnerUserId).toBeNull();
    expect(instructorLaunch(graderUrl('attest_learner=user-7')).focusLearnerUserId).toBeNull();
    expect(instructorLaunch(graderUrl('attest_unit=cs2-201&attest_learner=user-7'), { [CLAIM_CUSTOM]: {} }).focusLearnerUserId).toBeNull();
  });

  it('ignores a blank learner, a deep-linking request and a target that is not a URL', () => {
    expect(instructorLaunch(graderUrl('attest_unit=cs2-201&attest_learner=%20')).focusLearnerUserId).toBeNull();
    expect(instructorLaunch(graderUrl('attest_unit=cs2-201&attest_learner=user-7'), { [CLAIM_MESSAGE_TYPE]: 'LtiDeepLinkingRequest' }).focusLearnerUserId).toBeNull();
    expect(instructorLaunch('not a url').focusLearnerUserId).toBeNull();
  });
});

describe('toLaunchContext: a submission review (Moodle’s Grade analysis)', () => {
  const review = (roles: string[], overrides: Parameters<typeof aLaunchClaims>[0] = {}) =>
    toLaunchContext(aLaunchClaims({ [CLAIM_MESSAGE_TYPE]: 'LtiSubmissionReviewRequest', [CLAIM_FOR_USER]: { user_id: 'user-7' }, [CLAIM_ROLES]: roles, ...overrides }));

  it('is a resource-link launch of the same activity that opens the for_user learner for an instructor or TA', () => {
    expect(review([ROLE_CONTEXT_INSTRUCTOR])).toMatchObject({ messageType: 'LtiResourceLinkRequest', unitId: 'cs2-201', reviewedLearnerUserId: 'user-7', focusLearnerUserId: 'user-7' });
    expect(review([ROLE_CONTEXT_TEACHING_ASSISTANT])).toMatchObject({ focusLearnerUserId: 'user-7' });
  });

  it('names the reviewed learner whoever launched, but opens no one for a learner or on an activity without a unit', () => {
    expect(review([`${m}#Learner`])).toMatchObject({ reviewedLearnerUserId: 'user-7', focusLearnerUserId: null });
    expect(review([ROLE_CONTEXT_INSTRUCTOR], { [CLAIM_CUSTOM]: {} })).toMatchObject({ reviewedLearnerUserId: 'user-7', focusLearnerUserId: null });
  });

  it('reads no for_user from any other launch', () => {
    expect(toLaunchContext(aLaunchClaims({ [CLAIM_FOR_USER]: { user_id: 'user-7' }, [CLAIM_ROLES]: [ROLE_CONTEXT_INSTRUCTOR] }))).toMatchObject({ reviewedLearnerUserId: null, focusLearnerUserId: null });
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
