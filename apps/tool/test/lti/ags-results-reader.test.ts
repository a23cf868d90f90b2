import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformMode } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreTarget } from '../../src/domain/ports.ts';
import { registerWithTool } from '../support/index.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// The AGS result service read through the adapter (the gradebook sync report and reconciliation):
// every page of a line item's results, each LMS's answer for an emptied grade, and a deleted line
// item told apart from an LMS that could not be read.

describe.each(['moodle', 'canvas'] as const satisfies readonly PlatformMode[])('reading a line item’s results from %s', (mode) => {
  let tool: LtiTestServer;
  let lms: Awaited<ReturnType<typeof startPlatformEmulator>>;
  let target: ScoreTarget;
  let courseId: string;
  let lineItemId: string;
  const learnerIds: string[] = [];
  const count = 230;

  beforeAll(async () => {
    tool = await startLtiTestServer('postgres');
    lms = await startPlatformEmulator({ mode });
    const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    const course = lms.createCourse({ title: 'Customer Service L2' });
    courseId = course.id;
    const link = lms.placeResourceLink({ courseId, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' }, lineItem: { scoreMaximum: 50, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' } });
    lineItemId = link.lineItemId ?? '';
    target = { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, lineItemUrl: lineItemId };
    const timestamp = new Date().toISOString();
    for (let n = 0; n < count; n++) {
      const learner = lms.createUser({ name: `Learner ${n}` });
      lms.enrol(courseId, learner.id, 'learner');
      learnerIds.push(learner.id);
      const sent = await tool.adapter.scoreSender.send(target, { userId: learner.id, scoreGiven: n % 2 === 0 ? 100 : 40, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp, comment: 'Unit complete' });
      expect(sent.ok).toBe(true);
    }
  }, 180_000);
  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  it('reads every result, following Canvas’s rel="next" pages (Moodle answers all at once), scores on the line item’s own scale', async () => {
    lms.clearRequestLog();
    const read = await tool.adapter.resultsReader.readResults(target);
    if (!read.ok) throw new Error(read.message);
    expect(read.results.size).toBe(count);
    // Sent as 100 of 100 and 40 of 100 to a line item out of 50: the result service answers on its 50.
    expect(read.results.get(learnerIds[0] ?? '')).toMatchObject({ resultScore: 50, resultMaximum: 50 });
    expect(read.results.get(learnerIds[1] ?? '')).toMatchObject({ resultScore: 20, resultMaximum: 50 });
    const pages = lms.getRequestLog().filter((entry) => entry.method === 'GET' && new URL(entry.path, 'http://lms').pathname.endsWith('/results'));
    // Canvas's default page is 10 results; Attest sends no `limit`, so Moodle writes no (unparseable) Link header.
    expect(pages).toHaveLength(mode === 'canvas' ? Math.ceil(count / 10) : 1);
    expect(pages.every((page) => !new URL(page.path, 'http://lms').searchParams.has('limit'))).toBe(true);
  });

  it('shows a grade emptied by hand as a result without a score, and a lost grade as no result', async () => {
    const [emptied, lost] = [learnerIds[2] ?? '', learnerIds[3] ?? ''];
    if (mode === 'moodle') lms.overrideGrade({ courseId, lineItemId, learnerId: emptied, score: null });
    else {
      const grader = lms.createUser({ name: 'Tia Tutor' });
      lms.enrol(courseId, grader.id, 'instructor');
      lms.gradeAsTutor({ courseId, lineItemId, learnerId: emptied, graderId: grader.id, score: null });
    }
    lms.loseGrade({ courseId, lineItemId, learnerId: lost });
    const read = await tool.adapter.resultsReader.readResults(target);
    if (!read.ok) throw new Error(read.message);
    expect(read.results.get(emptied)).toMatchObject({ resultScore: null });
    expect(read.results.has(lost)).toBe(false);
  });

  it('waits out the platform’s throttling and reads on, rather than reporting the gradebook unreadable', async () => {
    const empty = lms.placeResourceLink({ courseId, clientId: target.clientId, title: 'Unit 202', custom: { attest_unit: 'unit-202' }, lineItem: { scoreMaximum: 100, label: 'Unit 202', resourceId: 'unit-202', tag: 'attest-unit' } });
    const emptyTarget = { ...target, lineItemUrl: empty.lineItemId ?? '' };
    // A limit the first read leaves full: Canvas's bucket over its high-water mark (403 "Rate Limit
    // Exceeded", no Retry-After) for a second or two, or one call a second behind a 429 + Retry-After.
    lms.setRateLimit(mode === 'canvas' ? { kind: 'canvas', hwm: 60, upFrontCost: 50, requestCost: 40, outflowPerSecond: 20 } : { kind: 'requestsPerSecond', requestsPerSecond: 1, burst: 1 });
    try {
      expect(await tool.adapter.resultsReader.readResults(emptyTarget)).toMatchObject({ ok: true });
      const read = await tool.adapter.resultsReader.readResults(emptyTarget);
      expect(read).toMatchObject({ ok: true });
      expect(lms.getRateLimitStats().throttled).toBeGreaterThan(0);
    } finally {
      lms.setRateLimit(null);
    }
  });

  it('says the line item is gone on a 404, and only then', async () => {
    expect(await tool.adapter.resultsReader.readResults({ ...target, deploymentId: 'unknown-deployment' })).toMatchObject({ ok: false, isLineItemGone: false });
    lms.deleteLineItem(lineItemId);
    expect(await tool.adapter.resultsReader.readResults(target)).toMatchObject({ ok: false, isLineItemGone: true });
  });
});
