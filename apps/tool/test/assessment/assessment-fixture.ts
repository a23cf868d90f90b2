import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, PlatformMode, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { ASSESSOR_UNIT_DECLARATION, AUTHENTICITY_DECLARATION, CANDIDATE_UNIT_DECLARATION, EvidenceItemSchema } from '@attest/contracts';
import type { AssessmentReportBody, CreateRecordRequest, EvidenceMappingTarget, RecordContent } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import { expect } from 'vitest';
import { loadCatalogue } from '@attest/standards/loader';
import type { ToolServer } from '../../src/index.ts';
import { catalogueFromUnits } from '../../src/catalogue/catalogue-source.ts';
import { apiAs, aDraft } from '../evidence/portfolio-fixture.ts';
import { launchForLtik } from '../support/launch-for-ltik.ts';
import { aUnit, registerWithTool } from '../support/index.ts';

export { apiAs, aDraft };
export type Api = ReturnType<typeof apiAs>;

// What the assessor tests share: the real tool, emulated LMSs (Moodle or Canvas) with a course, an
// assessor, a second assessor, an administrator, learners and a unit activity with a line item, and
// launches through the real LTI flow. Each test makes its own learners, so tests never share state.

/** A small unit whose PC 1.2 the assessor must observe and whose knowledge K1 needs questioning or PD. */
export const unitS: Unit = aUnit({
  id: 'unit-s',
  codes: ['S1'],
  title: 'Serve customers',
  assessmentRules: [
    { kind: 'observation-required', statements: ['1.2'], basis: 'The assessor must observe PC 1.2.' },
    { kind: 'methods-allowed', statements: ['K1'], methods: ['Q', 'WQ', 'PD', 'APA'], basis: 'Knowledge is shown by questioning, discussion or prior achievement.' },
  ],
});

/** Seed 001's "Resolve customer service problems", as the standards folder holds it. */
export const seed001Unit: Unit = (() => {
  const unit = loadCatalogue().units.find((u) => u.id === 'cs-pc-resolve-problems');
  if (!unit) throw new Error('seed 001’s unit cs-pc-resolve-problems is missing from standards/');
  return unit;
})();

export function assessmentCatalogue() {
  return catalogueFromUnits([unitS, seed001Unit]);
}

export interface Course2 {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly otherCourse: Course;
  readonly assessor: User;
  readonly secondAssessor: User;
  readonly admin: User;
  readonly otherCourseAssessor: User;
  readonly link: ResourceLink;
  readonly seedLink: ResourceLink;
  readonly otherLink: ResourceLink;
}

/** `scopes`: the services the LMS's administrator turned on for the tool (all by default). */
export async function setUpLms(tool: ToolServer, mode: PlatformMode, options: { scopes?: readonly string[] } = {}): Promise<Course2> {
  const lms = await startPlatformEmulator({ mode });
  const registration = await registerWithTool(lms, tool.url, tool.lti.platforms, options);
  const course = lms.createCourse({ title: 'Customer Service L2' });
  const otherCourse = lms.createCourse({ title: 'Team Leading L2' });
  const assessor = lms.createUser({ name: 'Ada Assessor' });
  const secondAssessor = lms.createUser({ name: 'Sam Second' });
  const admin = lms.createUser({ name: 'Ali Admin', isAdministrator: true });
  const otherCourseAssessor = lms.createUser({ name: 'Otto Other' });
  for (const user of [assessor, secondAssessor, admin]) lms.enrol(course.id, user.id, 'instructor');
  lms.enrol(otherCourse.id, otherCourseAssessor.id, 'instructor');
  const place = (courseId: string, unit: Unit) =>
    lms.placeResourceLink({ courseId, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id }, lineItem: { scoreMaximum: 100, label: unit.title, resourceId: unit.id, tag: 'attest-unit' } });
  return { lms, registration, course, otherCourse, assessor, secondAssessor, admin, otherCourseAssessor, link: place(course.id, unitS), seedLink: place(course.id, seed001Unit), otherLink: place(otherCourse.id, unitS) };
}

/** A launch through the real OIDC flow, ending at the UI with a bearer ltik. */
export async function launch(tool: ToolServer, lms: PlatformEmulator, user: User, link: ResourceLink): Promise<Api> {
  return apiAs(tool.url, await launchForLtik(lms.launchUrl({ courseId: link.courseId, userId: user.id, resourceLinkId: link.id }), tool.url));
}

let learners = 0;
/** A new learner enrolled on the course (and so on the NRPS roster). */
export function aLearner(lms: Course2, name?: string): User {
  learners += 1;
  const user = lms.lms.createUser({ name: name ?? `Learner ${learners}` });
  lms.lms.enrol(lms.course.id, user.id, 'learner');
  return user;
}

/** A learner's item mapped to `targets` and submitted; returns its id. */
export async function submittedItem(learnerApi: Api, targets: EvidenceMappingTarget[], draft: Parameters<typeof aDraft>[0] = {}): Promise<string> {
  const created = await learnerApi.post('/api/evidence', aDraft(draft));
  expect(created.status).toBe(201);
  const item = EvidenceItemSchema.parse(created.body);
  const mapped = await learnerApi.put(`/api/evidence/${item.id}/mappings`, { baseVersion: item.version, mappings: targets });
  expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
  const submitted = await learnerApi.post(`/api/evidence/${item.id}/submit`, { baseVersion: item.version + 1, declaration: AUTHENTICITY_DECLARATION });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return item.id;
}

const occasion = { date: '2026-11-02', workSetting: 'real-job' as const, customerRef: 'Mrs P', occasionRef: 'Saturday rush' };

/** One valid example of every record kind, as an assessor fills in seed 004's forms. */
export const recordExamples: Record<RecordContent['kind'], RecordContent> = {
  observation: { kind: 'observation', ...occasion, place: 'Returns desk, Leeds store', observed: 'Greeted the customer at once, listened, and explained the refund options.', supplementaryEvidence: [{ kind: 'photographs', location: 'E3 in the portfolio' }, { kind: 'third-party-confirmation', location: 'Supervisor’s note' }] },
  questioning: { kind: 'questioning', ...occasion, mode: 'oral', questions: [{ question: 'Why do first impressions matter?', answer: 'They set how the customer feels about the whole visit.' }] },
  'professional-discussion': { kind: 'professional-discussion', ...occasion, topics: ['Handling complaints', 'Keeping customers informed'], summary: 'Discussed two complaints and how each was resolved.', recording: null },
  'witness-testimony': { kind: 'witness-testimony', ...occasion, witness: { name: 'Wendy Witness', contact: 'wendy@example.com', position: 'Team leader', relationshipToCandidate: 'Line manager', status: 3 }, statement: 'I saw the candidate calm an angry customer.', unitsWitnessed: ['unit-s'] },
  'expert-witness': {
    kind: 'expert-witness',
    ...occasion,
    witness: { name: 'Eve Expert', contact: '0113 000 000', position: 'Store manager', relationshipToCandidate: 'Manager', status: 1 },
    eligibility: { supervisoryExperienceTwoYears: true, knowsStandards: true, cpd: true, evidenceOfEligibility: 'CV seen; CPD log for 2025–26 seen.', holdsOrWorksTowardsAssessorAward: true, hasQualityResponsibility: true },
    statement: 'The candidate consistently meets the standard on the shop floor.',
    unitsWitnessed: ['unit-s'],
  },
  'prior-achievement': { kind: 'prior-achievement', date: '2025-06-30', title: 'Level 1 Award in Customer Service', awardingBody: 'City & Guilds', certificateRef: 'CG-123456', verification: 'Original certificate seen and checked with the awarding body.' },
};

export function aRecord(kind: RecordContent['kind'], targets: EvidenceMappingTarget[], overrides: Partial<CreateRecordRequest> = {}): CreateRecordRequest {
  return { content: recordExamples[kind], targets, sign: true, supersedes: null, ...overrides };
}

export const competentReport: AssessmentReportBody = {
  checks: { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true },
  comments: 'Competent across the unit.',
  outcome: 'competent',
};

const S = (ref: string): EvidenceMappingTarget => ({ unitId: 'unit-s', target: 'statement', ref });

/**
 * Gives every requirement of unit S evidence and the assessor's decisions, short of the candidate's
 * declaration: the learner's own evidence for 1.1 accepted, an observation of 1.2 and oral
 * questioning on K1 signed, the report competent. Returns the learner's API and the report's version.
 */
export async function coverUnitS(tool: ToolServer, lms: Course2, assessorApi: Api, learner: User): Promise<{ learnerApi: Api; reportVersion: number }> {
  const learnerApi = await launch(tool, lms.lms, learner, lms.link);
  const itemId = await submittedItem(learnerApi, [S('1.1')]);
  const judged = await assessorApi.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] });
  expect(judged.status, JSON.stringify(judged.body)).toBe(200);
  const userPath = `/api/assessor/learners/${encodeURIComponent(learner.id)}`;
  for (const [kind, ref] of [['observation', '1.2'], ['questioning', 'K1']] as const) {
    const made = await assessorApi.post(`${userPath}/records`, aRecord(kind, [S(ref)]));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }
  const report = await assessorApi.put(`${userPath}/report`, { baseVersion: 0, report: competentReport });
  expect(report.status, JSON.stringify(report.body)).toBe(200);
  return { learnerApi, reportVersion: (report.body as { version: number }).version };
}

/**
 * Takes a new learner on unit S to the point of sign-off: coverUnitS, then the declaration signed.
 * Returns the report's version for the sign-off request.
 */
export async function readyForSignOff(tool: ToolServer, lms: Course2, assessorApi: Api, learner: User): Promise<number> {
  const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessorApi, learner);
  const declared = await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION });
  expect(declared.status, JSON.stringify(declared.body)).toBe(201);
  return reportVersion;
}

export const signOffBody = (reportVersion: number) => ({ reportVersion, declaration: ASSESSOR_UNIT_DECLARATION });
export const countersignBody = { declaration: ASSESSOR_UNIT_DECLARATION };
export { S };

/** Polls until `check` holds or the time is up; returns how long it took in ms. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'the condition'): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}
