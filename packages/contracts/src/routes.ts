import { z } from 'zod';
import { UnitSchema } from '@attest/standards';
import { AssessorProfileSchema, AssessorCaseloadSchema, AssessorEvidenceItemSchema, AssessorPortfolioSchema, AssessorRecordSchema, AssessmentActionPlanSchema, AssessmentReportSchema, ActionPlanRequestSchema, CandidateDeclarationRequestSchema, CountersignRequestSchema, CreateRecordRequestSchema, FeedbackRequestSchema, GradeStatusSchema, ItemChangedDetailsSchema, JudgementConflictDetailsSchema, JudgementRequestSchema, LearnerAssessmentSchema, QualificationRequestSchema, ReopenUnitRequestSchema, ReportRequestSchema, SignOffRefusalDetailsSchema, SignOffRequestSchema, SignOffStateSchema, SignRecordRequestSchema, UpdateRecordRequestSchema } from './assessment.ts';
import { AdminConsoleSchema, ApproveDeploymentRequestSchema, AttestAdministratorSchema, ConsolePlatformSchema, GrantAdministratorRequestSchema, PlatformActiveRequestSchema, PlatformNameRequestSchema } from './administration.ts';
import { LearnerHistorySchema } from './audit.ts';
import { CourseSyncReportSchema, ResyncCourseRequestSchema, ResyncResultSchema, ResyncRowRequestSchema, ResyncUnitRequestSchema } from './gradebook-sync.ts';
import { CaseloadSchema } from './caseload.ts';
import { CatalogueSchema, DeepLinkingRequestSchema, DeepLinkingResponseSchema } from './catalogue.ts';
import type { ErrorCode } from './errors.ts';
import { CreateEvidenceRequestSchema, EvidenceConflictDetailsSchema, EvidenceHistorySchema, EvidenceItemSchema, FeedbackSchema, PortfolioSchema, SignedOffDetailsSchema, StorageUsageSchema, SubmitEvidenceRequestSchema, UpdateEvidenceRequestSchema, UpdateMappingsRequestSchema } from './evidence.ts';
import { safeText } from './safe-text.ts';
import { SessionSchema } from './session.ts';

// The HTTP API as data: every /api route, with its method, path, parameters, request, response
// and the errors it answers with. The tool server registers its routes from this table (apps/tool
// src/http/register-route.ts) and the web client calls through it (apps/web src/api), so a route's
// path, body and reply cannot drift apart between the two ends. A route added here and not served
// fails the server's route-table test; a URL written by hand in the UI fails lint.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The request carries no body. */
export const NO_BODY = 'none';
/** The request body is one file's raw bytes (its type in Content-Type, its name percent-encoded in X-File-Name), streamed, never JSON. */
export const FILE_UPLOAD = 'file-upload';
/** The response is a file's bytes (a download, or inline where a browser can show it safely), not JSON. */
export const FILE_DOWNLOAD = 'file-download';

export type RequestSpec = z.ZodType | typeof NO_BODY | typeof FILE_UPLOAD;
export type ResponseSpec = z.ZodType | typeof FILE_DOWNLOAD;

/**
 * Each error code the route may answer with beyond the common ones, and the schema of its `details`
 * when it carries some (null: never any). The UI parses a 409's or 422's details with these.
 */
export type ErrorSpec = Partial<Record<ErrorCode, z.ZodType | null>>;

/** Path parameters are text like any other: refused when they hold what cannot be stored. */
const Param = () => safeText().min(1);
const NoParams = z.strictObject({});

export interface ApiRoute<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  Params extends z.ZodType<Record<string, string>> = z.ZodType<Record<string, string>>,
  Req extends RequestSpec = RequestSpec,
  Res extends ResponseSpec = ResponseSpec,
> {
  readonly method: M;
  /** Express style, parameters as `:name`; always under /api. */
  readonly path: P;
  readonly params: Params;
  readonly request: Req;
  readonly response: Res;
  /** The status of a success (201 when the request made something the reply names). */
  readonly status: 200 | 201;
  readonly errors: ErrorSpec;
}

/** Details of a 400: each failing field's path and the stable reason (zod's code, or the contracts' own). */
export const InvalidRequestDetailsSchema = z.array(z.object({ path: safeText(), code: safeText() }));
/** Details of an upload the file rules refused (`@attest/evidence-files`): its code and the limit's parameters. */
export const FileRefusalDetailsSchema = z.looseObject({ fileError: safeText() });
/** Details of a refused upload or item that would pass the learner's quota. */
export const QuotaDetailsSchema = z.union([
  z.object({ quota: z.literal('bytes'), bytesLimit: StorageUsageSchema.shape.bytesLimit, bytesUsed: StorageUsageSchema.shape.bytesUsed, bytesLeft: StorageUsageSchema.shape.bytesLeft }),
  z.object({ quota: z.literal('items'), itemsLimit: StorageUsageSchema.shape.itemsLimit, itemsUsed: StorageUsageSchema.shape.itemsUsed }),
]);
/** A stale write of a learner's item; the copy id is absent when nothing of the learner's was kept aside. */
const EvidenceConflictSchema = z.union([EvidenceConflictDetailsSchema, EvidenceConflictDetailsSchema.omit({ conflictCopyId: true }), SignedOffDetailsSchema]);
/** A stale or refused write of an assessment document: the server's current copy. */
const CurrentCopySchema = (schema: z.ZodType) => z.object({ current: schema.nullable().optional() });

/**
 * What any route may answer, so each entry lists only its own: no launch (401), a path or body
 * that fails its schema (400), and our own failure (500, with the request id instead of details).
 */
export const COMMON_ERRORS = { unauthenticated: null, invalid_request: InvalidRequestDetailsSchema, internal: null } as const satisfies ErrorSpec;

/** Keeps each entry's literal types (method, path, schemas) for the server's and the client's inference. */
function defineRoute<const M extends HttpMethod, const P extends `/api/${string}`, Params extends z.ZodType<Record<string, string>> = typeof NoParams, Req extends RequestSpec = typeof NO_BODY, Res extends ResponseSpec = ResponseSpec>(
  route: { method: M; path: P; params?: Params; request?: Req; response: Res; status?: 200 | 201; errors?: ErrorSpec },
): ApiRoute<M, P, Params, Req, Res> {
  return {
    method: route.method,
    path: route.path,
    params: (route.params ?? NoParams) as Params,
    request: (route.request ?? NO_BODY) as Req,
    response: route.response,
    status: route.status ?? 200,
    errors: route.errors ?? {},
  };
}

const ItemParams = z.strictObject({ id: Param() });
const FileParams = z.strictObject({ id: Param(), fileId: Param() });
const LearnerParams = z.strictObject({ userId: Param() });
const RecordParams = z.strictObject({ userId: Param(), recordId: Param() });
const AssessorItemParams = z.strictObject({ itemId: Param() });
/** A registration's id (platform_registrations.id): any other shape is refused before a query sees it. */
const PlatformParams = z.strictObject({ platformId: Param().pipe(z.uuid()) });

/** A learner's item that another tab saved first, or whose unit is signed off. */
const evidenceWriteErrors = { not_found: null, conflict: EvidenceConflictSchema } satisfies ErrorSpec;
/** Every assessor route: a learner's launch is refused, a learner not on the course's roster is not found, the roster comes from the LMS. */
const assessorErrors = { forbidden: null, not_found: null, platform_unavailable: null } satisfies ErrorSpec;

export const apiRoutes = {
  // ---- Launch, catalogue, placement ----------------------------------------------------------
  getSession: defineRoute({ method: 'GET', path: '/api/session', response: SessionSchema }),
  getCatalogue: defineRoute({ method: 'GET', path: '/api/catalogue', response: CatalogueSchema }),
  getUnit: defineRoute({ method: 'GET', path: '/api/units/:unitId', params: z.strictObject({ unitId: Param() }), response: UnitSchema, errors: { not_found: null } }),
  /** Instructors, from a deep-linking launch only; a unit that does not exist is named in the 404's details. */
  placeUnits: defineRoute({ method: 'POST', path: '/api/deep-linking', request: DeepLinkingRequestSchema, response: DeepLinkingResponseSchema, errors: { forbidden: null, not_found: z.object({ unitId: safeText() }) } }),
  /** The launch's NRPS roster, instructors only. */
  getCaseload: defineRoute({ method: 'GET', path: '/api/caseload', response: CaseloadSchema, errors: { forbidden: null, platform_unavailable: null } }),

  // ---- The learner's portfolio (issue 3) -----------------------------------------------------
  getPortfolio: defineRoute({ method: 'GET', path: '/api/portfolio', response: PortfolioSchema, errors: { not_found: null } }),
  createEvidence: defineRoute({ method: 'POST', path: '/api/evidence', request: CreateEvidenceRequestSchema, response: EvidenceItemSchema, status: 201, errors: { rule_violation: QuotaDetailsSchema } }),
  getEvidence: defineRoute({ method: 'GET', path: '/api/evidence/:id', params: ItemParams, response: EvidenceItemSchema, errors: { not_found: null } }),
  updateEvidence: defineRoute({ method: 'PUT', path: '/api/evidence/:id', params: ItemParams, request: UpdateEvidenceRequestSchema, response: EvidenceItemSchema, errors: evidenceWriteErrors }),
  updateEvidenceMappings: defineRoute({ method: 'PUT', path: '/api/evidence/:id/mappings', params: ItemParams, request: UpdateMappingsRequestSchema, response: EvidenceItemSchema, errors: { ...evidenceWriteErrors, rule_violation: null } }),
  submitEvidence: defineRoute({ method: 'POST', path: '/api/evidence/:id/submit', params: ItemParams, request: SubmitEvidenceRequestSchema, response: EvidenceItemSchema, errors: { ...evidenceWriteErrors, rule_violation: null } }),
  getEvidenceHistory: defineRoute({ method: 'GET', path: '/api/evidence/:id/history', params: ItemParams, response: EvidenceHistorySchema, errors: { not_found: null } }),
  addEvidenceFile: defineRoute({
    method: 'POST',
    path: '/api/evidence/:id/files',
    params: ItemParams,
    request: FILE_UPLOAD,
    response: EvidenceItemSchema,
    status: 201,
    errors: { not_found: null, conflict: SignedOffDetailsSchema, rule_violation: null, payload_too_large: z.union([QuotaDetailsSchema, FileRefusalDetailsSchema]), unsupported_media_type: FileRefusalDetailsSchema, invalid_request: z.union([InvalidRequestDetailsSchema, FileRefusalDetailsSchema]) },
  }),
  /** The learner's own file, always as a download. */
  getEvidenceFile: defineRoute({ method: 'GET', path: '/api/evidence/:id/files/:fileId', params: FileParams, response: FILE_DOWNLOAD, errors: { not_found: null } }),
  deleteEvidenceFile: defineRoute({ method: 'DELETE', path: '/api/evidence/:id/files/:fileId', params: FileParams, response: EvidenceItemSchema, errors: { not_found: null, conflict: SignedOffDetailsSchema, rule_violation: null } }),

  // ---- The assessor's routes (issue 4): Instructor launches of a unit activity ----------------
  getAssessorCaseload: defineRoute({ method: 'GET', path: '/api/assessor/caseload', response: AssessorCaseloadSchema, errors: assessorErrors }),
  getAssessorProfile: defineRoute({ method: 'GET', path: '/api/assessor/me', response: AssessorProfileSchema, errors: { forbidden: null } }),
  /** An assessor may only mark themselves not yet qualified. */
  setOwnQualification: defineRoute({ method: 'PUT', path: '/api/assessor/me/qualification', request: QualificationRequestSchema, response: AssessorProfileSchema, errors: { forbidden: null } }),
  /** Administrator launches only. */
  setAssessorQualification: defineRoute({ method: 'PUT', path: '/api/assessor/assessors/:userId/qualification', params: LearnerParams, request: QualificationRequestSchema, response: AssessorProfileSchema, errors: assessorErrors }),
  getAssessorPortfolio: defineRoute({ method: 'GET', path: '/api/assessor/learners/:userId/portfolio', params: LearnerParams, response: AssessorPortfolioSchema, errors: assessorErrors }),
  getLearnerHistory: defineRoute({ method: 'GET', path: '/api/assessor/learners/:userId/history', params: LearnerParams, response: LearnerHistorySchema, errors: assessorErrors }),
  judgeEvidence: defineRoute({
    method: 'PUT',
    path: '/api/assessor/evidence/:itemId/judgement',
    params: AssessorItemParams,
    request: JudgementRequestSchema,
    response: AssessorEvidenceItemSchema,
    errors: { forbidden: null, not_found: null, rule_violation: null, conflict: z.union([ItemChangedDetailsSchema, JudgementConflictDetailsSchema, SignedOffDetailsSchema]) },
  }),
  /** The learner's file as an assessor opens it: inline where a browser can show it safely, else a download. */
  getAssessorEvidenceFile: defineRoute({ method: 'GET', path: '/api/assessor/evidence/:itemId/files/:fileId', params: z.strictObject({ itemId: Param(), fileId: Param() }), response: FILE_DOWNLOAD, errors: { forbidden: null, not_found: null } }),
  createRecord: defineRoute({
    method: 'POST',
    path: '/api/assessor/learners/:userId/records',
    params: LearnerParams,
    request: CreateRecordRequestSchema,
    response: AssessorRecordSchema,
    status: 201,
    errors: { ...assessorErrors, rule_violation: null, conflict: SignedOffDetailsSchema },
  }),
  /** The author's own unsigned record only. */
  updateRecord: defineRoute({ method: 'PUT', path: '/api/assessor/learners/:userId/records/:recordId', params: RecordParams, request: UpdateRecordRequestSchema, response: AssessorRecordSchema, errors: { ...assessorErrors, rule_violation: null, conflict: z.union([CurrentCopySchema(AssessorRecordSchema), SignedOffDetailsSchema]) } }),
  signRecord: defineRoute({ method: 'POST', path: '/api/assessor/learners/:userId/records/:recordId/sign', params: RecordParams, request: SignRecordRequestSchema, response: AssessorRecordSchema, errors: { ...assessorErrors, conflict: z.union([CurrentCopySchema(AssessorRecordSchema), SignedOffDetailsSchema]) } }),
  saveActionPlan: defineRoute({ method: 'PUT', path: '/api/assessor/learners/:userId/action-plan', params: LearnerParams, request: ActionPlanRequestSchema, response: AssessmentActionPlanSchema, errors: { ...assessorErrors, conflict: CurrentCopySchema(AssessmentActionPlanSchema) } }),
  addFeedback: defineRoute({ method: 'POST', path: '/api/assessor/learners/:userId/feedback', params: LearnerParams, request: FeedbackRequestSchema, response: FeedbackSchema, status: 201, errors: assessorErrors }),
  saveReport: defineRoute({ method: 'PUT', path: '/api/assessor/learners/:userId/report', params: LearnerParams, request: ReportRequestSchema, response: AssessmentReportSchema, errors: { ...assessorErrors, conflict: CurrentCopySchema(AssessmentReportSchema) } }),
  signOffUnit: defineRoute({
    method: 'POST',
    path: '/api/assessor/learners/:userId/sign-off',
    params: LearnerParams,
    request: SignOffRequestSchema,
    response: SignOffStateSchema,
    status: 201,
    errors: { ...assessorErrors, rule_violation: SignOffRefusalDetailsSchema, conflict: CurrentCopySchema(AssessmentReportSchema) },
  }),
  /** Refused (403) to the assessor who signed, and to one not yet qualified. */
  countersignUnit: defineRoute({ method: 'POST', path: '/api/assessor/learners/:userId/countersign', params: LearnerParams, request: CountersignRequestSchema, response: SignOffStateSchema, status: 201, errors: { ...assessorErrors, rule_violation: null, conflict: null } }),
  reopenUnit: defineRoute({ method: 'POST', path: '/api/assessor/learners/:userId/reopen', params: LearnerParams, request: ReopenUnitRequestSchema, response: SignOffStateSchema, status: 201, errors: { ...assessorErrors, conflict: null } }),
  getGradeStatus: defineRoute({ method: 'GET', path: '/api/assessor/learners/:userId/grade-status', params: LearnerParams, response: GradeStatusSchema, errors: assessorErrors }),

  // ---- Gradebook sync (issue 14): the course's grades as Attest decided them and as the LMS holds them
  /** Instructor or Administrator launch of the course; a learner's launch is refused. */
  getCourseSync: defineRoute({ method: 'GET', path: '/api/sync/course', response: CourseSyncReportSchema, errors: { forbidden: null } }),
  /** One row, also one a person changed in the LMS: the person asks for it explicitly. */
  resyncRow: defineRoute({ method: 'POST', path: '/api/sync/rows/:passbackId/resync', params: z.strictObject({ passbackId: z.uuid() }), request: ResyncRowRequestSchema, response: ResyncResultSchema, status: 201, errors: { forbidden: null, not_found: null, conflict: null } }),
  /** Every repairable row of one unit; rows changed by hand in the LMS are skipped and counted. */
  resyncUnit: defineRoute({ method: 'POST', path: '/api/sync/units/resync', request: ResyncUnitRequestSchema, response: ResyncResultSchema, status: 201, errors: { forbidden: null, not_found: null } }),
  /** Every repairable row of the course; rows changed by hand in the LMS are skipped and counted. */
  resyncCourse: defineRoute({ method: 'POST', path: '/api/sync/course/resync', request: ResyncCourseRequestSchema, response: ResyncResultSchema, status: 201, errors: { forbidden: null } }),

  // ---- The candidate's side of the assessment -------------------------------------------------
  getLearnerAssessment: defineRoute({ method: 'GET', path: '/api/learner/assessment', response: LearnerAssessmentSchema, errors: { not_found: null } }),
  /** 422 lists the requirements that have no submitted evidence and no assessor's record. */
  declareCandidateWork: defineRoute({
    method: 'POST',
    path: '/api/learner/sign-off-declaration',
    request: CandidateDeclarationRequestSchema,
    response: LearnerAssessmentSchema.shape.signOff,
    status: 201,
    errors: { not_found: null, conflict: null, rule_violation: z.object({ requirements: z.array(z.unknown()) }) },
  }),

  // ---- The administration console (issue 14, decision 21) -------------------------------------
  // An LMS administrator's launch reaches its own registration only (another's is not found);
  // an Attest administrator's reaches every one. Everyone else gets 403.
  getAdminConsole: defineRoute({ method: 'GET', path: '/api/admin/console', response: AdminConsoleSchema, errors: { forbidden: null } }),
  setPlatformActive: defineRoute({ method: 'PUT', path: '/api/admin/platforms/:platformId/active', params: PlatformParams, request: PlatformActiveRequestSchema, response: ConsolePlatformSchema, errors: { forbidden: null, not_found: null } }),
  renamePlatform: defineRoute({ method: 'PUT', path: '/api/admin/platforms/:platformId/name', params: PlatformParams, request: PlatformNameRequestSchema, response: ConsolePlatformSchema, errors: { forbidden: null, not_found: null } }),
  /** Approves a deployment (one waiting since its first launch, or one the administrator names). */
  approveDeployment: defineRoute({ method: 'POST', path: '/api/admin/platforms/:platformId/deployments', params: PlatformParams, request: ApproveDeploymentRequestSchema, response: ConsolePlatformSchema, status: 201, errors: { forbidden: null, not_found: null } }),
  /** Attest administrators only. */
  grantAdministrator: defineRoute({ method: 'POST', path: '/api/admin/administrators', request: GrantAdministratorRequestSchema, response: AttestAdministratorSchema, status: 201, errors: { forbidden: null, conflict: null } }),
  /** Attest administrators only; never one's own (someone must be left to grant it back). */
  revokeAdministrator: defineRoute({ method: 'DELETE', path: '/api/admin/administrators/:administratorId', params: z.strictObject({ administratorId: Param() }), response: z.object({ revoked: AttestAdministratorSchema }), errors: { forbidden: null, not_found: null, rule_violation: null } }),
} as const;

export type ApiRoutes = typeof apiRoutes;
export type ApiRouteName = keyof ApiRoutes;
export type AnyApiRoute = ApiRoutes[ApiRouteName];

/** The route's path parameters, as the caller passes them. */
export type ParamsOf<R extends ApiRoute> = z.input<R['params']>;
/** The route's JSON body as the caller sends it (defaults may be left out), or never for a body-less or upload route. */
export type BodyOf<R extends ApiRoute> = R['request'] extends z.ZodType ? z.input<R['request']> : never;
/** The route's parsed JSON body as a handler receives it. */
export type ParsedBodyOf<R extends ApiRoute> = R['request'] extends z.ZodType ? z.output<R['request']> : undefined;
/** The route's JSON reply, or never for a file download. */
export type ResponseOf<R extends ApiRoute> = R['response'] extends z.ZodType ? z.output<R['response']> : never;

/** The names of a path's `:parameters`, in order. */
export function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z][A-Za-z0-9]*)/g)].map((match) => match[1] ?? '');
}

/**
 * The route's URL path with its parameters filled in, each percent-encoded (an id with `/`, `?`
 * or `#` stays one segment). A missing parameter is a programming error, not a request to send.
 */
export function pathOf<R extends ApiRoute>(route: R, params: ParamsOf<R>): string {
  const values = params as Record<string, unknown>;
  return route.path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_match, name: string) => {
    const value = values[name];
    if (typeof value !== 'string') throw new TypeError(`pathOf(${route.method} ${route.path}): parameter "${name}" is missing`);
    return encodeURIComponent(value);
  });
}

/**
 * Resumable uploads (the tus 1.0 protocol, issue 12): POST here creates an upload for one item
 * (metadata `itemId`, `filename`, `filetype`), and HEAD/PATCH on the URL it answers with resume it.
 * tus has its own request shapes, so this sits beside the route table rather than in it; the last
 * PATCH answers 200 with the item (EvidenceItemSchema), and refusals carry the usual ApiError body.
 */
export const RESUMABLE_UPLOADS_PATH = '/api/uploads';
