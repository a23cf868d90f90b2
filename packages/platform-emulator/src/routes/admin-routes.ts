// The JSON admin API under /emulator/api, mirroring the programmatic one for a separately started
// emulator (the demo, browser tests). Bodies are checked with zod; errors are { error: { code, message } }.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { EmulatorApi } from '../emulator-api.ts';
import type { EmulatorInfo } from '../emulator-context.ts';
import { EmulatorError } from '../emulator-state.ts';

const RoleSchema = z.enum(['learner', 'instructor', 'teachingAssistant']);
const ToolInputSchema = z.object({
  name: z.string().optional(),
  loginUrl: z.string(),
  redirectUris: z.array(z.string()).min(1),
  jwksUrl: z.string(),
  targetLinkUri: z.string(),
  deepLinkingUrl: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  customParameters: z.record(z.string(), z.string()).optional(),
});
const CourseInputSchema = z.object({ title: z.string().optional(), label: z.string().optional(), subAccountId: z.string().min(1).optional() });
const UserInputSchema = z.object({
  name: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  email: z.string().optional(),
  isAdministrator: z.boolean().optional(),
});
const SubmissionReviewSchema = z.object({ url: z.string().optional(), custom: z.record(z.string(), z.string()).optional() });
const LineItemSpecSchema = z.object({ scoreMaximum: z.number().positive(), label: z.string().min(1), resourceId: z.string().optional(), tag: z.string().optional(), submissionReview: SubmissionReviewSchema.optional() });
const ResourceLinkInputSchema = z.object({
  clientId: z.string(),
  title: z.string().min(1),
  url: z.string().optional(),
  text: z.string().optional(),
  custom: z.record(z.string(), z.string()).optional(),
  lineItem: LineItemSpecSchema.optional(),
});
const LaunchTargetSchema = z.object({ courseId: z.string(), userId: z.string(), resourceLinkId: z.string() });
const SubmissionLaunchTargetSchema = z.object({ courseId: z.string(), lineItemId: z.string(), learnerId: z.string(), graderId: z.string() });
const GradeAnalysisTargetSchema = z.object({ courseId: z.string(), resourceLinkId: z.string(), learnerId: z.string(), graderId: z.string() });
const DeepLinkingTargetSchema = z.object({ courseId: z.string(), userId: z.string(), clientId: z.string() });
const CoursePageSchema = z.object({ courseId: z.string(), userId: z.string(), resourceLinkId: z.string().optional(), deepLinkingClientId: z.string().optional() });
const LaunchClaimsSchema = z.object({
  clientId: z.string(),
  courseId: z.string(),
  userId: z.string(),
  nonce: z.string(),
  messageType: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest', 'LtiSubmissionReviewRequest']).optional(),
  resourceLinkId: z.string().optional(),
  forUserId: z.string().optional(),
  expiresInSeconds: z.number().int().optional(),
  targetLinkUri: z.string().optional(),
});
const SignSchema = z.object({
  claims: z.record(z.string(), z.unknown()),
  key: z.enum(['platform', 'foreign', 'none', 'hs256-public-key']).optional(),
  kid: z.string().nullable().optional(),
});
const FailureSchema = z.object({ count: z.number().int().min(0), status: z.union([z.literal(503), z.literal(429), z.literal(422)]), retryAfterSeconds: z.number().int().min(0).optional(), afterProcessing: z.boolean().optional() });
const PositiveSchema = z.number().positive().finite();
const RateLimitSchema = z.object({
  limit: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('canvas'), hwm: PositiveSchema.optional(), maximum: PositiveSchema.optional(), outflowPerSecond: PositiveSchema.optional(), upFrontCost: PositiveSchema.optional(), requestCost: PositiveSchema.optional() }),
      z.strictObject({ kind: z.literal('requestsPerSecond'), requestsPerSecond: PositiveSchema, burst: PositiveSchema }),
    ])
    .nullable(),
});
const TutorGradeSchema = z.object({ lineItemId: z.string(), learnerId: z.string(), graderId: z.string(), score: z.number().min(0).nullable() });
const DynamicSchema = z.object({ toolRegistrationUrl: z.string(), activate: z.boolean().optional(), registrationsNext: z.boolean().optional(), disabledScopes: z.array(z.string()).optional(), updateClientId: z.string().min(1).optional() });
const InstallSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('account') }),
  z.object({ type: z.literal('subAccount'), subAccountId: z.string().min(1) }),
  z.object({ type: z.literal('course'), courseId: z.string().min(1) }),
]);

function parse<T>(schema: z.ZodType<T>, req: Request): T {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EmulatorError(400, 'invalid_body', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function createAdminRoutes(api: EmulatorApi, info: () => EmulatorInfo): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals['area'] = 'admin';
    next();
  });

  router.get('/info', (_req, res) => void res.json(info()));
  router.post('/tools', (req, res) => void res.status(201).json(api.registerTool(parse(ToolInputSchema, req))));
  router.get('/tools', (_req, res) => void res.json(api.listTools()));
  router.post('/tools/dynamic/start', (req, res) => {
    const body = parse(DynamicSchema, req);
    // Canvas's lti_registrations_next flag is a Canvas option; Moodle has no such choice.
    const start = body.registrationsNext === undefined ? api.startDynamicRegistration(body.toolRegistrationUrl, body.updateClientId === undefined ? {} : { updateClientId: body.updateClientId }) : api.startCanvasRegistration(body.toolRegistrationUrl, { registrationsNext: body.registrationsNext });
    res.status(201).json(start);
  });
  router.post('/tools/dynamic', async (req, res) => {
    const body = parse(DynamicSchema, req);
    res.status(201).json(await api.registerToolDynamically(body.toolRegistrationUrl, {
      ...(body.activate === undefined ? {} : { activate: body.activate }),
      ...(body.registrationsNext === undefined ? {} : { registrationsNext: body.registrationsNext }),
      ...(body.disabledScopes === undefined ? {} : { disabledScopes: body.disabledScopes }),
      ...(body.updateClientId === undefined ? {} : { updateClientId: body.updateClientId }),
    }));
  });
  router.get('/tools/:clientId', (req, res) => void res.json(api.getTool(req.params.clientId)));
  router.post('/tools/:clientId/activate', (req, res) => void res.json(api.activateTool(req.params.clientId)));
  router.post('/tools/:clientId/show-in-activity-chooser', (req, res) => void res.json(api.showInActivityChooser(req.params.clientId)));
  // Canvas: the administrator unticks scopes on the review step; installs per account/sub-account/course.
  router.post('/tools/:clientId/disabled-scopes', (req, res) => void res.json(api.narrowToolScopes(req.params.clientId, parse(z.object({ disabledScopes: z.array(z.string()) }), req).disabledScopes)));
  router.post('/tools/:clientId/installs', (req, res) => void res.status(201).json(api.installTool(req.params.clientId, parse(InstallSchema, req))));
  router.get('/tools/:clientId/installs', (req, res) => void res.json(api.listInstalls(req.params.clientId)));
  router.post('/courses', (req, res) => void res.status(201).json(api.createCourse(parse(CourseInputSchema, req))));
  router.post('/users', (req, res) => void res.status(201).json(api.createUser(parse(UserInputSchema, req))));
  router.post('/courses/:courseId/enrolments', (req, res) => {
    const body = parse(z.object({ userId: z.string(), role: RoleSchema }), req);
    res.status(201).json(api.enrol(req.params.courseId, body.userId, body.role));
  });
  router.post('/courses/:courseId/resource-links', (req, res) => {
    res.status(201).json(api.placeResourceLink({ ...parse(ResourceLinkInputSchema, req), courseId: req.params.courseId }));
  });
  router.get('/courses/:courseId/resource-links', (req, res) => void res.json(api.getResourceLinks(req.params.courseId)));
  router.get('/courses/:courseId/line-items', (req, res) => void res.json(api.getLineItems(req.params.courseId)));
  router.get('/courses/:courseId/gradebook', (req, res) => void res.json(api.getGradebook(req.params.courseId)));
  router.post('/launch-url', (req, res) => void res.json({ url: api.launchUrl(parse(LaunchTargetSchema, req)) }));
  router.post('/deep-linking-launch-url', (req, res) => void res.json({ url: api.deepLinkingLaunchUrl(parse(DeepLinkingTargetSchema, req)) }));
  router.post('/submission-launch-url', (req, res) => void res.json({ url: api.submissionLaunchUrl(parse(SubmissionLaunchTargetSchema, req)) }));
  // Moodle: the Grade analysis launch and page (src/grade-analysis.ts).
  router.post('/grade-analysis-launch-url', (req, res) => void res.json({ url: api.gradeAnalysisLaunchUrl(parse(GradeAnalysisTargetSchema, req)) }));
  router.post('/grade-analysis-page-url', (req, res) => void res.json({ url: api.gradeAnalysisPageUrl(parse(GradeAnalysisTargetSchema, req)) }));
  router.post('/course-page-url', (req, res) => void res.json({ url: api.coursePageUrl(parse(CoursePageSchema, req)) }));
  router.post('/launch-claims', (req, res) => void res.json(api.buildLaunchClaims(parse(LaunchClaimsSchema, req))));
  router.post('/sign-id-token', async (req, res) => {
    const body = parse(SignSchema, req);
    res.json({ jwt: await api.signIdToken(body.claims, { ...(body.key ? { key: body.key } : {}), ...(body.kid !== undefined ? { kid: body.kid } : {}) }) });
  });
  router.post('/score-failures', (req, res) => {
    api.injectScoreFailures(parse(FailureSchema, req));
    res.status(204).end();
  });
  // Throttling of the LTI service calls (src/rate-limit.ts): { limit: null } turns it off.
  router.put('/rate-limit', (req, res) => {
    const { limit } = parse(RateLimitSchema, req);
    api.setRateLimit(limit === null ? null : withoutUndefined(limit));
    res.status(204).end();
  });
  router.get('/rate-limit', (_req, res) => void res.json(api.getRateLimitStats()));
  // Canvas: a grader's grade entered by hand in SpeedGrader.
  router.post('/courses/:courseId/tutor-grades', (req, res) => void res.json(api.gradeAsTutor({ ...parse(TutorGradeSchema, req), courseId: req.params.courseId })));
  router.get('/request-log', (_req, res) => void res.json(api.getRequestLog()));
  router.delete('/request-log', (_req, res) => {
    api.clearRequestLog();
    res.status(204).end();
  });
  return router;
}

/** zod leaves optional keys out, but exactOptionalPropertyTypes types them `T | undefined`. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
