import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ASSESSOR_UNIT_DECLARATION, AssessorCaseloadSchema, AssessorPortfolioSchema, LearnerHistorySchema, PortfolioSchema, SignOffStateSchema, type Portfolio } from '@attest/contracts';
import { verifyAuditChains } from '@attest/tool';
import { demoEvidence } from '../src/demo-evidence.ts';
import { freePort } from '../src/free-port.ts';
import { launchToolApi } from '../src/launch-tool-api.ts';
import { readyLearnerAssessment } from '../src/ready-learner-assessment.ts';
import { seedLearnerEvidence, type SeededEvidence } from '../src/seed-learner-evidence.ts';
import { seedReadyForSignOff, type SeededReadyForSignOff } from '../src/seed-ready-for-sign-off.ts';
import { demoCourseTitle, demoUnitIds, formatDemoUrls, startDemo, type Demo } from '../src/start-demo.ts';

const dataDirs: string[] = [];
let demo: Demo | null = null;

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attest-demo-test-'));
  dataDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await demo?.close();
  demo = null;
});

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function readyOf(current: Demo): SeededReadyForSignOff {
  const ready = current.readyForSignOff;
  if (!('seeded' in ready)) throw new Error(`The demo did not make a learner ready for sign-off: ${'error' in ready ? ready.error : 'the course was continued from the last run'}`);
  return ready.seeded;
}

/** The assessor's API on the first activity, through a real Instructor launch. */
async function assessorApiOf(current: Demo) {
  const { api } = await launchToolApi(current.emulator.launchUrl({ courseId: current.course.id, userId: current.assessor.user.id, resourceLinkId: current.activities[0]?.id ?? '' }), current.tool.url);
  return api;
}

function seededOf(current: Demo): SeededEvidence {
  const evidence = current.evidence;
  if (!('seeded' in evidence)) throw new Error(`The demo did not seed evidence: ${'error' in evidence ? evidence.error : 'the course was continued from the last run'}`);
  return evidence.seeded;
}

/** Statements the server's verdict still counts as not met or partly met. */
const missingStatements = (portfolio: Portfolio) => portfolio.verdict.statements.filter((statement) => statement.status === 'not-met' || statement.status === 'partly-met').length;

async function portfolioOf(current: Demo, learnerIndex: number): Promise<Portfolio> {
  const learner = current.learners[learnerIndex];
  if (!learner) throw new Error(`no learner ${learnerIndex}`);
  const { api } = await launchToolApi(current.emulator.launchUrl({ courseId: current.course.id, userId: learner.user.id, resourceLinkId: current.activities[0]?.id ?? '' }), current.tool.url);
  return api.get('/api/portfolio', PortfolioSchema);
}

function printedUrls(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
}

describe('the demo wiring', () => {
  // One start serves the tests that only read what it made (a start is about 40 s on two busy cores).
  let shared: Demo;
  beforeAll(async () => {
    shared = await startDemo({ toolPort: 0, emulatorPort: 0, dataDir: newDataDir() });
  });
  afterAll(async () => {
    await shared?.close();
  });

  it('prints learner, assessor and gradebook URLs that answer, for a course holding the two units placed by deep linking', async () => {
    const demo = shared;
    const printed = formatDemoUrls(demo);

    expect(demo.course.title).toBe(demoCourseTitle);
    expect(demo.emulator.getResourceLinks(demo.course.id).map((link) => ({ placedBy: link.placedBy, unit: link.custom['attest_unit'] }))).toEqual([
      { placedBy: 'deepLinking', unit: 'nvq2-cs-201' },
      { placedBy: 'deepLinking', unit: 'nvq2-cs-202' },
    ]);
    expect(demo.emulator.getLineItems(demo.course.id).map((item) => item.tag)).toEqual(['attest-unit', 'attest-unit']);

    const urls = printedUrls(printed);
    const course = `${demo.emulator.url}/course/${demo.course.id}`;
    // Three learners, one assessor page per activity, and the gradebook, each under a heading.
    expect(printed).toMatch(/launch as learner[\s\S]*launch as assessor[\s\S]*emulator gradebook/);
    expect(urls.filter((url) => url.startsWith(`${course}?`))).toHaveLength(5);
    expect(urls).toContain(`${course}/gradebook`);
    for (const url of urls.filter((candidate) => candidate.startsWith(course))) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
    }
    expect(printed).toContain(demo.tool.url);
    expect((await fetch(`${demo.tool.url}/healthz`)).status).toBe(200);
  });

  it('gives the first learner submitted and draft evidence in both units, and says so beside their URL', async () => {
    const demo = shared;
    const seeded = seededOf(demo);
    const printed = formatDemoUrls(demo);

    expect(seeded.created).toBe(3);
    expect(seeded.items.map((item) => ({ type: item.evidenceType, state: item.state, files: item.files.length }))).toEqual([
      { type: 'personal-statement', state: 'submitted', files: 0 },
      { type: 'photo', state: 'submitted', files: 1 },
      { type: 'witness-statement', state: 'draft', files: 1 },
    ]);
    expect(seeded.items[1]?.files[0]).toMatchObject({ mediaType: 'image/png' });
    expect(new Set(seeded.items.flatMap((item) => item.mappings.map((mapping) => mapping.unitId)))).toEqual(new Set(demoUnitIds));

    // The learner's own view, through a fresh launch: the three items, and fewer statements missing
    // than for a learner of the same course who has no evidence (Sam), though not none.
    const withEvidence = await portfolioOf(demo, 0);
    const without = await portfolioOf(demo, 2);
    expect(withEvidence.items.map((item) => item.title).sort()).toEqual(seeded.items.map((item) => item.title).sort());
    expect(without.items).toEqual([]);
    expect(missingStatements(without)).toBe(without.verdict.statements.length);
    expect(missingStatements(withEvidence)).toBeLessThan(missingStatements(without));
    expect(missingStatements(withEvidence)).toBeGreaterThan(0);

    const [lee, , sam] = demo.learners;
    expect(printed).toContain(`${lee?.user.name ?? ''}`.padEnd(16) + ' (has seeded evidence: 3 items (2 submitted, 1 draft), 2 files');
    expect(printed).toContain(`${sam?.user.name ?? ''}`.padEnd(16) + ' (no evidence yet)');
  });

  it('shows the assessor the second learner ready for sign-off with the gate open, and the first still in progress with the gate shut', async () => {
    const demo = shared;
    const ready = readyOf(demo);
    const [lee, priya] = demo.learners;
    expect(ready.written).toEqual({ items: 2, judgements: 2, records: 2, actionPlan: 1, report: 1, declaration: 1 });

    // What the assessor's own launch finds, not what the seed returned.
    const assessor = await assessorApiOf(demo);
    const caseload = await assessor.get('/api/assessor/caseload', AssessorCaseloadSchema);
    expect(caseload.unitId).toBe(demoUnitIds[0]);
    const rowOf = (userId: string) => caseload.learners.find((learner) => learner.userId === userId);
    expect(rowOf(priya?.user.id ?? '')).toMatchObject({ name: 'Priya Patel', unitState: 'ready-for-sign-off', nextStep: { code: 'ready-for-sign-off' }, signOff: 'none', awaiting: [], progress: { met: 16, total: 16 }, grade: { state: 'none' } });
    expect(rowOf(lee?.user.id ?? '')).toMatchObject({ name: 'Lee Learner', unitState: 'in-progress', signOff: 'none' });
    expect(rowOf(lee?.user.id ?? '')?.nextStep.code).not.toBe('ready-for-sign-off');
    expect(rowOf(lee?.user.id ?? '')?.awaiting.length).toBeGreaterThan(0);

    const portfolioOfLearner = (userId: string) => assessor.get(`/api/assessor/learners/${encodeURIComponent(userId)}/portfolio`, AssessorPortfolioSchema);
    const priyas = await portfolioOfLearner(priya?.user.id ?? '');
    expect(priyas.signOff).toMatchObject({ stage: 'none', assessor: null, gate: { isOpen: true, blocking: [] } });
    expect(priyas.signOff.candidate).toMatchObject({ role: 'candidate', userId: priya?.user.id });
    expect(priyas.report?.report.outcome).toBe('competent');
    // Her own evidence counts: both items accepted, beside the assessor's observation and questioning.
    expect(priyas.items.flatMap((item) => item.mappings.map((mapping) => mapping.decision))).toEqual(expect.arrayContaining(['accepted']));
    expect(priyas.items.flatMap((item) => item.mappings).every((mapping) => mapping.decision === 'accepted')).toBe(true);
    expect(priyas.records.map((record) => [record.kind, record.signature?.userId])).toEqual([
      ['observation', demo.assessor.user.id],
      ['questioning', demo.assessor.user.id],
    ]);
    const lees = await portfolioOfLearner(lee?.user.id ?? '');
    expect(lees.signOff.gate.isOpen).toBe(false);
    expect(lees.signOff.gate.blocking.map((reason) => reason.code)).toEqual(expect.arrayContaining(['candidate_declaration_missing', 'report_missing']));
    expect(lees.signOff.gate.blocking.some((reason) => reason.where === 'statement')).toBe(true);

    const printed = formatDemoUrls(demo);
    expect(printed).toContain(`${priya?.user.name ?? ''}`.padEnd(16) + ' (ready for sign-off');
    const assessorPart = printed.slice(printed.indexOf('launch as assessor'), printed.indexOf('emulator gradebook'));
    expect(assessorPart).toContain('caseload: Priya Patel is ready for sign-off (16 of 16 statements met, report competent, candidate declaration signed, sign-off gate open)');
    expect(assessorPart).toContain('Lee Learner is in progress');
  });

  it('records the seeded acts in the audit trail, shows the assessor Priya’s history, and leaves every chain intact', async () => {
    const demo = shared;
    const [, priya] = demo.learners;
    const assessor = await assessorApiOf(demo);
    const history = await assessor.get(`/api/assessor/learners/${encodeURIComponent(priya?.user.id ?? '')}/history`, LearnerHistorySchema);
    const actions = history.entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['evidence.created', 'evidence.submitted', 'evidence.judged', 'record.signed', 'report.saved', 'unit.declared']));
    expect(history.entries.find((entry) => entry.action === 'unit.declared')?.actor).toMatchObject({ name: 'Priya Patel', role: 'learner' });
    const reports = await verifyAuditChains(demo.tool.db);
    expect(reports.map((report) => ({ issuer: report.issuer, clientId: report.clientId, broken: report.broken }))).toEqual([{ issuer: demo.emulator.issuer, clientId: demo.clientId, broken: null }]);
    expect(reports[0]?.entries).toBeGreaterThan(actions.length);
  });

  it('starts again on the same data directory with the course as it was at the stop, and a new course and registration only with fresh', { timeout: 600_000 }, async () => {
    // Fixed ports for every start, as `npm start` has: the issuer and the tool's launch URLs stay the same.
    const emulatorPort = await freePort('127.0.0.1');
    const toolPort = await freePort('127.0.0.1');
    const dataDir = newDataDir();
    const first = await startDemo({ toolPort, emulatorPort, dataDir });
    expect(first.isContinued).toBe(false);
    // What a newcomer does in the first run: the assessor signs Priya's unit off, and the grade reaches the LMS.
    const [, priya] = first.learners;
    const assessor = await assessorApiOf(first);
    const before = await assessor.get(`/api/assessor/learners/${encodeURIComponent(priya?.user.id ?? '')}/portfolio`, AssessorPortfolioSchema);
    await assessor.post(`/api/assessor/learners/${encodeURIComponent(priya?.user.id ?? '')}/sign-off`, { reportVersion: before.report?.version ?? 0, declaration: ASSESSOR_UNIT_DECLARATION }, SignOffStateSchema);
    const graded = (current: Demo) => current.emulator.getGradebook(current.course.id).filter((entry) => entry.userId === priya?.user.id && entry.gradingProgress === 'FullyGraded');
    await expect.poll(() => graded(first).length, { timeout: 60_000 }).toBe(1);
    const firstRun = { clientId: first.clientId, course: first.course, activities: first.activities.map((link) => link.id), urls: formatDemoUrls(first).match(/https?:\/\/\S+/g) };
    await first.close();
    const gradebookAtStop = first.emulator.getGradebook(first.course.id);

    // Restarted: the same LMS, course, people, activities and registration; nothing seeded again.
    const second = await startDemo({ toolPort, emulatorPort, dataDir });
    demo = second;
    expect(second.isContinued).toBe(true);
    expect({ clientId: second.clientId, course: second.course, activities: second.activities.map((link) => link.id) }).toEqual({ clientId: firstRun.clientId, course: firstRun.course, activities: firstRun.activities });
    expect(second.removedStaleRegistrations).toBe(0);
    expect(second.evidence).toEqual({ learner: first.learners[0]?.user, kept: true });
    expect(second.emulator.getGradebook(second.course.id)).toEqual(gradebookAtStop);
    const printed = formatDemoUrls(second);
    expect(printed).toContain('This is the course of the last run');
    // The URLs printed at the first start still work: Priya's unit is signed off, Lee's evidence is his.
    expect(printed.match(/https?:\/\/\S+/g)?.filter((url) => url.includes('/course/'))).toEqual(firstRun.urls?.filter((url) => url.includes('/course/')));
    const assessorAgain = await assessorApiOf(second);
    const after = await assessorAgain.get(`/api/assessor/learners/${encodeURIComponent(priya?.user.id ?? '')}/portfolio`, AssessorPortfolioSchema);
    expect(after.signOff.stage).toBe('completed');
    expect((await portfolioOf(second, 0)).items.map((item) => item.id).sort()).toEqual(seededOf(first).items.map((item) => item.id).sort());
    await second.close();
    demo = null;

    // --fresh: a new LMS and course, a new registration, and the old one dropped from the tool.
    demo = await startDemo({ toolPort, emulatorPort, dataDir, fresh: true });
    expect(demo.isContinued).toBe(false);
    expect(demo.clientId).not.toBe(firstRun.clientId);
    expect(demo.removedStaleRegistrations).toBe(1);
    const platforms = await demo.tool.lti.platforms.list();
    expect(platforms.map((platform) => ({ issuer: platform.issuer, clientId: platform.clientId, isActive: platform.isActive }))).toEqual([
      { issuer: demo.emulator.issuer, clientId: demo.clientId, isActive: true },
    ]);
    expect(demo.activities).toHaveLength(2);
    // The new registration is a new tenant to the tool, so the learner's evidence is seeded for it.
    expect(seededOf(demo).items).toHaveLength(3);

    // Seeding again finds every item, file, mapping and submission in place and changes nothing.
    const again = await seedLearnerEvidence({
      emulator: demo.emulator,
      toolUrl: demo.tool.url,
      courseId: demo.course.id,
      learnerId: demo.evidence.learner.id,
      resourceLinkId: demo.activities[0]?.id ?? '',
      otherResourceLinkIds: [],
      evidence: demoEvidence({ positiveImpression: demoUnitIds[0], promoteServices: demoUnitIds[1] }, new Date().toISOString().slice(0, 10)),
    });
    expect(again.created).toBe(0);
    expect(again.items.map((item) => [item.id, item.version])).toEqual(seededOf(demo).items.map((item) => [item.id, item.version]));
    expect(again.portfolio.items).toHaveLength(3);

    // The learner ready for sign-off was made ready afresh for the new tenant; doing it again writes nothing.
    expect(readyOf(demo).gate.isOpen).toBe(true);
    const readyAgain = await seedReadyForSignOff({
      emulator: demo.emulator,
      toolUrl: demo.tool.url,
      courseId: demo.course.id,
      learnerId: demo.readyForSignOff.learner.id,
      assessorId: demo.assessor.user.id,
      resourceLinkId: demo.activities[0]?.id ?? '',
      otherResourceLinkIds: [],
      assessment: readyLearnerAssessment(demoUnitIds[0], new Date().toISOString().slice(0, 10)),
    });
    expect(readyAgain.written).toEqual({ items: 0, judgements: 0, records: 0, actionPlan: 0, report: 0, declaration: 0 });
    expect(readyAgain.gate).toEqual({ isOpen: true, blocking: [] });
    expect(readyAgain.caseloadRow.unitState).toBe('ready-for-sign-off');
  });
});
