// An in-process stand-in for the LTI adapter, ONLY for testing the API's own authorisation and
// validation logic over HTTP. Real launches (ltijs, OIDC, id_token checks) are tested in test/lti/
// against the platform emulator; nothing here pretends to validate an LTI message.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { LaunchContext, RosterMember, RosterSource, ScoreSender } from '../../src/domain/ports.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { canPostScoresTo, isInstructorRole } from '../../src/lti/to-launch-context.ts';
import { httpScoreSender } from './score-endpoint.ts';

export interface TestLtiAdapter {
  readonly router: RequestHandler;
  readonly authenticate: RequestHandler;
  readonly rosterSource: RosterSource;
  readonly scoreSender: ScoreSender;
  createDeepLinkingResponse(launch: LaunchContext, items: { unitId: string; title: string }[]): Promise<{ returnUrl: string; jwt: string }>;
  /** A bearer token that `authenticate` maps to this launch. */
  tokenFor(launch: LaunchContext): string;
  readonly deepLinkingCalls: { launch: LaunchContext; items: { unitId: string; title: string }[] }[];
  roster: RosterMember[];
  /** What `platforms.activeFrameOrigins` answers: the sites allowed to frame /app/. */
  frameOrigins: string[];
  readonly platforms: { activeFrameOrigins(): Promise<readonly string[]> };
}

export function createTestLtiAdapter(): TestLtiAdapter {
  const launches = new Map<string, LaunchContext>();
  const adapter: TestLtiAdapter = {
    router: (_req, _res, next) => next(),
    authenticate: (req, res, next) => {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const launch = match?.[1] ? launches.get(match[1]) : undefined;
      if (!launch) return next(new AppError('unauthenticated', 'Your session has expired or is not valid.'));
      res.locals['launch'] = launch;
      next();
    },
    rosterSource: { membersOf: async () => adapter.roster },
    scoreSender: httpScoreSender,
    async createDeepLinkingResponse(launch, items) {
      adapter.deepLinkingCalls.push({ launch, items });
      return { returnUrl: 'https://lms.example/deep-link-return', jwt: `signed.${items.map((i) => i.unitId).join(',')}` };
    },
    tokenFor(launch) {
      const token = randomUUID();
      launches.set(token, launch);
      return token;
    },
    deepLinkingCalls: [],
    roster: [],
    frameOrigins: ['https://lms.example'],
    platforms: { activeFrameOrigins: async () => adapter.frameOrigins },
  };
  return adapter;
}

/** A resource-link launch with defaults; override the roles, message type or line item a test is about. */
export function aLaunch(overrides: Partial<LaunchContext> = {}): LaunchContext {
  const launch = {
    issuer: 'https://lms.example',
    clientId: 'client-1',
    deploymentId: 'deployment-1',
    messageType: 'LtiResourceLinkRequest',
    userId: `user-${randomUUID()}`,
    userName: 'Sam Learner',
    userEmail: 'sam@example.ac.uk',
    roles: ['learner'],
    isTeachingAssistant: false,
    rawRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    platformName: 'Test LMS',
    contextId: 'course-1',
    contextTitle: 'Customer Service Level 2',
    resourceLinkId: 'link-1',
    resourceLinkTitle: 'Unit 101',
    unitId: 'test-unit-101',
    lineItemUrl: null,
    agsScopes: [],
    // The LMS offers its roster (the adapter's `roster` stands in for it); null is an LMS that does not.
    membershipsUrl: 'https://lms.example/nrps/course-1',
    ...overrides,
  } satisfies Omit<LaunchContext, 'isInstructor' | 'canPostScores' | 'platformFamily'>;
  // The derived facts follow the fields by the adapter's own rules, unless a test names them.
  return {
    ...launch,
    isInstructor: overrides.isInstructor ?? isInstructorRole(launch.roles),
    canPostScores: overrides.canPostScores ?? canPostScoresTo(launch.lineItemUrl, launch.agsScopes),
    platformFamily: overrides.platformFamily ?? 'other',
  };
}

export function anInstructorLaunch(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return aLaunch({
    roles: ['instructor'],
    rawRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
    userName: 'Alex Assessor',
    ...overrides,
  });
}
