import { describe, expect, it } from 'vitest';
import { scoresUrlOf, toScoreBody } from '../../src/lti/ags-score-sender.ts';
import { toPartitionedCookie } from '../../src/lti/cross-site-headers.ts';
import { deepLinkingRefusal, toDeepLinkingItems } from '../../src/lti/deep-linking-items.ts';
import { toToolConfiguration } from '../../src/lti/dynamic-registration.ts';
import { ltijsTokenToClaims } from '../../src/lti/ltijs-token-to-claims.ts';
import { createNrpsRosterSource, nextPageOf } from '../../src/lti/nrps-roster-source.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { parseRetryAfter } from '../../src/lti/platform-service-client.ts';
import { submissionReviewRefusal } from '../../src/lti/submission-review.ts';
import { toLaunchContext } from '../../src/lti/to-launch-context.ts';
import { CLAIM_FOR_USER, CLAIM_MESSAGE_TYPE, MESSAGE_SUBMISSION_REVIEW } from '../../src/lti/claims.ts';
import { aLaunchClaims } from './claims-factory.ts';

describe('toPartitionedCookie', () => {
  it('makes ltijs state cookies Partitioned, SameSite=None and Secure, keeping the rest', () => {
    expect(toPartitionedCookie('stateabc=s%3Ax.y; Max-Age=60; Path=/; Expires=Mon, 23 Nov 2026 12:00:00 GMT; HttpOnly; SameSite=Lax')).toBe(
      'stateabc=s%3Ax.y; Max-Age=60; Path=/; Expires=Mon, 23 Nov 2026 12:00:00 GMT; HttpOnly; SameSite=None; Secure; Partitioned',
    );
  });

  it('does not repeat attributes the cookie already had', () => {
    expect(toPartitionedCookie('a=1; Secure; SameSite=None; Partitioned')).toBe('a=1; SameSite=None; Secure; Partitioned');
  });
});

describe('scoresUrlOf', () => {
  it('appends /scores to the line item path and keeps its query (Moodle puts type_id there)', () => {
    expect(scoresUrlOf('https://m.example/mod/lti/services.php/7/lineitems/3/lineitem?type_id=1')).toBe('https://m.example/mod/lti/services.php/7/lineitems/3/lineitem/scores?type_id=1');
    expect(scoresUrlOf('https://c.example/api/lti/courses/1/line_items/2/')).toBe('https://c.example/api/lti/courses/1/line_items/2/scores');
  });
});

describe('toScoreBody', () => {
  it('sends the AGS fields and lets extensions ride along without overriding them', () => {
    const body = toScoreBody({
      userId: 'u1', scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded',
      timestamp: '2026-11-23T12:00:00.000Z', extensions: { 'https://canvas.instructure.com/lti/submission': { new_submission: true }, userId: 'forged' },
    });
    expect(body).toEqual({
      'https://canvas.instructure.com/lti/submission': { new_submission: true },
      userId: 'u1', scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: '2026-11-23T12:00:00.000Z',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, and nothing else', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('nextPageOf', () => {
  it('follows rel="next" and ignores other relations', () => {
    expect(nextPageOf('<https://m.example/m?page=2>; rel="next", <https://m.example/d>; rel="differences"')).toBe('https://m.example/m?page=2');
    expect(nextPageOf('<https://m.example/d>; rel="differences"')).toBeNull();
    expect(nextPageOf(null)).toBeNull();
  });
});

describe('createNrpsRosterSource', () => {
  // An LMS whose every roster page names a next one: the pages asked for, one member each.
  const endlessRoster = () => {
    const asked: string[] = [];
    const client = {
      async call(_tenant: unknown, _scope: string, url: string) {
        asked.push(url);
        const members = [{ user_id: `u${asked.length}`, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'] }];
        return { ok: true as const, response: new Response(JSON.stringify({ members }), { headers: { link: `<https://lms.example/m?page=${asked.length + 1}>; rel="next"` } }) };
      },
    };
    return { asked, client };
  };
  const launch = { ...toLaunchContext(aLaunchClaims()), membershipsUrl: 'https://lms.example/m' };

  it('refuses a roster that does not end within its page bound, rather than show part of it', async () => {
    const { asked, client } = endlessRoster();
    await expect(createNrpsRosterSource(client, { maxPages: 3 }).membersOf(launch)).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === 'platform_unavailable' && /more than 3 pages/.test(error.userMessage),
    );
    expect(asked).toEqual(['https://lms.example/m', 'https://lms.example/m?page=2', 'https://lms.example/m?page=3']);
  });
});

describe('submissionReviewRefusal', () => {
  // Emulated Moodle will not send a learner another's Grade analysis (grade.php checks it), so what
  // Attest does with such a launch is tested here, on the claims a forged or buggy LMS would send.
  const learnerReviewing = (forUser: string) => toLaunchContext(aLaunchClaims({ sub: 'user-42', [CLAIM_MESSAGE_TYPE]: MESSAGE_SUBMISSION_REVIEW, [CLAIM_FOR_USER]: { user_id: forUser } } as never));
  const lookup = { membersOf: async () => [], launchedMembers: async () => new Map() };

  it('lets a learner open their own Grade analysis, as their own launch of the activity', async () => {
    const launch = learnerReviewing('user-42');
    expect(await submissionReviewRefusal(launch, lookup)).toBeNull();
    expect(launch.focusLearnerUserId).toBeNull();
  });

  it('refuses a learner anyone else’s', async () => {
    expect(await submissionReviewRefusal(learnerReviewing('user-7'), lookup)).toBe('review_not_assessor');
  });
});

describe('toDeepLinkingItems', () => {
  it('places one ltiResourceLink per unit with its custom parameter and a line item out of 100', () => {
    expect(toDeepLinkingItems([{ unitId: 'cs2-201', title: 'Unit 201' }], 'http://localhost:3000/lti/launch')).toEqual([
      {
        type: 'ltiResourceLink', title: 'Unit 201', url: 'http://localhost:3000/lti/launch', custom: { attest_unit: 'cs2-201' },
        lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'cs2-201', tag: 'attest-unit', submissionReview: { label: 'Open the learner’s unit in Attest' } },
      },
    ]);
  });

  it('declares submission review on the line item without a url, so the LMS reviews at the activity’s own launch', () => {
    const [item] = toDeepLinkingItems([{ unitId: 'cs2-201', title: 'Unit 201' }], 'http://localhost:3000/lti/launch');
    expect(item).toHaveProperty('lineItem.submissionReview');
    expect(item).not.toHaveProperty('lineItem.submissionReview.url');
  });

  it('leaves the line item out when the platform says it accepts none', () => {
    const [item] = toDeepLinkingItems([{ unitId: 'cs2-201', title: 'Unit 201' }], 'http://localhost:3000/lti/launch', { accept_lineitem: false });
    expect(item).not.toHaveProperty('lineItem');
    expect(item).toMatchObject({ custom: { attest_unit: 'cs2-201' } });
    const [withLineItem] = toDeepLinkingItems([{ unitId: 'cs2-201', title: 'Unit 201' }], 'http://localhost:3000/lti/launch', { accept_lineitem: true });
    expect(withLineItem).toHaveProperty('lineItem.resourceId', 'cs2-201');
  });

  it('refuses what the platform said it will not accept', () => {
    const settings = { deep_link_return_url: 'https://m.example/dl' };
    expect(deepLinkingRefusal(settings, 0)).toBe('no_items');
    expect(deepLinkingRefusal({ ...settings, accept_types: ['link'] }, 1)).toBe('resource_link_not_accepted');
    expect(deepLinkingRefusal({ ...settings, accept_multiple: false }, 2)).toBe('several_items_not_accepted');
    expect(deepLinkingRefusal({ ...settings, accept_multiple: 'false' }, 1)).toBeNull();
    expect(deepLinkingRefusal({ ...settings, accept_types: ['ltiResourceLink'], accept_multiple: true }, 2)).toBeNull();
  });
});

describe('toToolConfiguration', () => {
  it('asks for resource-link and deep-linking messages, the four AGS scopes and NRPS', () => {
    const configuration = toToolConfiguration({ publicUrl: 'http://localhost:3000', loginUrl: 'http://localhost:3000/lti/login', launchUrl: 'http://localhost:3000/lti/launch', jwksUrl: 'http://localhost:3000/lti/keys' });
    expect((configuration.scope as string).split(' ').sort()).toEqual([
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
      'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]);
    const tool = configuration['https://purl.imsglobal.org/spec/lti-tool-configuration'] as { domain: string; messages: { type: string }[] };
    expect(tool.domain).toBe('localhost:3000');
    // Deep linking first, so that it owns Canvas's link_selection placement (canvas-registration.test.ts).
    expect(tool.messages.map((message) => message.type)).toEqual(['LtiDeepLinkingRequest', 'LtiResourceLinkRequest']);
    expect(configuration.initiate_login_uri).toBe('http://localhost:3000/lti/login');
  });
});

describe('ltijsTokenToClaims', () => {
  it('puts ltijs’s stored split back together so the launch maps the same as from the id_token', () => {
    const claims = aLaunchClaims();
    const stored = {
      iss: claims.iss, user: claims.sub, userInfo: { name: claims.name, email: claims.email }, platformInfo: claims['https://purl.imsglobal.org/spec/lti/claim/tool_platform'],
      clientId: 'client-1', platformId: 'kid', deploymentId: 'dep-1',
      platformContext: {
        contextId: 'x', user: claims.sub, path: '/lti/launch', roles: claims['https://purl.imsglobal.org/spec/lti/claim/roles'],
        targetLinkUri: claims['https://purl.imsglobal.org/spec/lti/claim/target_link_uri'], context: claims['https://purl.imsglobal.org/spec/lti/claim/context'],
        resource: claims['https://purl.imsglobal.org/spec/lti/claim/resource_link'], custom: claims['https://purl.imsglobal.org/spec/lti/claim/custom'],
        endpoint: claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'], namesRoles: claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'],
        messageType: 'LtiResourceLinkRequest', version: '1.3.0',
      },
    };
    const rebuilt = ltijsTokenToClaims(stored as Parameters<typeof ltijsTokenToClaims>[0]);
    expect(rebuilt).not.toBeNull();
    expect(toLaunchContext(rebuilt!)).toEqual(toLaunchContext(claims));
  });
});
