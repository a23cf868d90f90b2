import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourseSyncReportSchema, ResyncResultSchema } from '@attest/contracts';
import type { CourseSyncReport, SyncRow } from '@attest/contracts';
import type { User } from '@attest/platform-emulator';
import { auditEntries, scorePassbacks } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { reconcileGradebooks } from '../../src/scores/reconcile-gradebooks.ts';
import type { CourseDrift } from '../../src/scores/reconcile-gradebooks.ts';
import { startTestToolServer } from '../support/index.ts';
import { aLearner, assessmentCatalogue, launch, readyForSignOff, setUpLms, signOffBody, waitFor } from '../assessment/assessment-fixture.ts';
import type { Api, Course2 } from '../assessment/assessment-fixture.ts';

// The gradebook sync report and resync (issue 14, decision 22), on real PostgreSQL against the Moodle
// emulator over real HTTP: four learners signed off, then the emulator's gradebook changed as a
// teacher or an accident would change it; the report explains each, and a resync repairs only what
// Attest owns.

describe('the gradebook sync report and resync on Moodle', () => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  const learners: Record<'kept' | 'changed' | 'lost' | 'cleared', User> = {} as never;
  let lineItemId: string;

  const report = async (api: Api = assessor): Promise<CourseSyncReport> => {
    const reply = await api.get('/api/sync/course');
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return CourseSyncReportSchema.parse(reply.body);
  };
  const rowOf = (sync: CourseSyncReport, learner: User): SyncRow => {
    const row = sync.rows.find((r) => r.learnerUserId === learner.id);
    if (!row) throw new Error(`no sync row for ${learner.name}`);
    return row;
  };
  const gradeOf = (learner: User) => lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)?.grade;
  const passbackCount = async () => (await tool.db.select({ n: count() }).from(scorePassbacks))[0]?.n ?? 0;

  beforeAll(async () => {
    tool = await startTestToolServer('postgres', { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'moodle');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
    lineItemId = lms.link.lineItemId ?? '';
    for (const key of ['kept', 'changed', 'lost', 'cleared'] as const) {
      const learner = aLearner(lms, `Sync ${key}`);
      learners[key] = learner;
      const version = await readyForSignOff(tool, lms, assessor, learner);
      expect((await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
    }
    await waitFor(() => Object.values(learners).every((learner) => gradeOf(learner) === 100), 60_000, 'every sign-off in the gradebook');
    // By hand in Moodle's gradebook: one grade overridden, one emptied; and one grade lost (a course reset).
    lms.lms.overrideGrade({ courseId: lms.course.id, lineItemId, learnerId: learners.changed.id, score: 60 });
    lms.lms.overrideGrade({ courseId: lms.course.id, lineItemId, learnerId: learners.cleared.id, score: null });
    lms.lms.loseGrade({ courseId: lms.course.id, lineItemId, learnerId: learners.lost.id });
  }, 240_000);
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  it('shows every learner’s grade as Attest decided it and as the gradebook holds it, each drift explained', async () => {
    const sync = await report();
    expect(sync.rows).toHaveLength(4);
    expect(rowOf(sync, learners.kept)).toMatchObject({ state: 'in_sync', expectedScore: 100, heldScore: 100, unitId: 'unit-s', learnerName: 'Sync kept', canResync: false });
    expect(rowOf(sync, learners.kept).sentAt).not.toBeNull();
    expect(rowOf(sync, learners.changed)).toMatchObject({ state: 'changed_in_lms', expectedScore: 100, heldScore: 60, isRepairedByBulkResync: false, canResync: true });
    expect(rowOf(sync, learners.changed).explanation).toMatch(/changed this grade by hand/);
    expect(rowOf(sync, learners.cleared)).toMatchObject({ state: 'cleared_in_lms', heldScore: null, isRepairedByBulkResync: false });
    expect(rowOf(sync, learners.lost)).toMatchObject({ state: 'missing_in_lms', heldScore: null, isRepairedByBulkResync: true });
    // What a person must decide comes first.
    expect(sync.rows.map((r) => r.state)).toEqual(['changed_in_lms', 'cleared_in_lms', 'missing_in_lms', 'in_sync']);
  });

  it('refuses a learner’s launch (403) and shows another course’s or another tenant’s instructor none of these rows', async () => {
    const learnerApi = await launch(tool, lms.lms, learners.kept, lms.link);
    expect((await learnerApi.get('/api/sync/course')).status).toBe(403);
    expect((await learnerApi.post('/api/sync/course/resync', { confirm: true })).status).toBe(403);
    const other = await launch(tool, lms.lms, lms.otherCourseAssessor, lms.otherLink);
    expect((await report(other)).rows).toEqual([]);
    const before = await passbackCount();
    const lost = rowOf(await report(), learners.lost);
    expect((await other.post(`/api/sync/rows/${lost.passbackId}/resync`, { confirm: true })).status).toBe(404);
    expect((await other.post('/api/sync/units/resync', { lineItemUrl: lost.lineItemUrl })).status).toBe(404);
    // Another tenant (a second LMS registered with the same tool), whose course ids are numbered alike.
    const secondLms = await setUpLms(tool, 'moodle');
    try {
      expect(secondLms.course.id).toBe(lms.course.id);
      const otherTenant = await launch(tool, secondLms.lms, secondLms.assessor, secondLms.link);
      expect((await report(otherTenant)).rows).toEqual([]);
      expect((await otherTenant.post(`/api/sync/rows/${lost.passbackId}/resync`, { confirm: true })).status).toBe(404);
      expect(ResyncResultSchema.parse((await otherTenant.post('/api/sync/course/resync', { confirm: true })).body)).toMatchObject({ queued: 0, skippedChangedByHand: 0 });
    } finally {
      await secondLms.lms.close();
    }
    expect(await passbackCount()).toBe(before);
  });

  it('answers bad resync requests with 4xx and changes nothing', async () => {
    const before = await passbackCount();
    const sync = await report();
    const attempts: [string, () => ReturnType<Api['post']>, number][] = [
      ['a course resync without confirmation', () => assessor.post('/api/sync/course/resync', {}), 400],
      ['a course resync with confirm false', () => assessor.post('/api/sync/course/resync', { confirm: false }), 400],
      ['a unit resync without a line item', () => assessor.post('/api/sync/units/resync', {}), 400],
      ['a unit resync of a line item with no grades here', () => assessor.post('/api/sync/units/resync', { lineItemUrl: 'https://elsewhere.example/lineitems/1' }), 404],
      ['a row resync without confirmation', () => assessor.post(`/api/sync/rows/${rowOf(sync, learners.kept).passbackId}/resync`, {}), 400],
      ['a row that is not an id', () => assessor.post('/api/sync/rows/not-a-uuid/resync', { confirm: true }), 400],
      ['a row that does not exist', () => assessor.post('/api/sync/rows/00000000-0000-4000-8000-000000000000/resync', { confirm: true }), 404],
      ['a row already in sync', () => assessor.post(`/api/sync/rows/${rowOf(sync, learners.kept).passbackId}/resync`, { confirm: true }), 409],
    ];
    for (const [what, attempt, status] of attempts) expect((await attempt()).status, what).toBe(status);
    expect(await passbackCount()).toBe(before);
  });

  it('repairs only the lost grade on a course resync, leaves the grades a teacher set, says how many it skipped, and audits it', async () => {
    const reply = await assessor.post('/api/sync/course/resync', { confirm: true });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const result = ResyncResultSchema.parse(reply.body);
    expect(result).toMatchObject({ queued: 1, skippedChangedByHand: 2 });
    await waitFor(() => gradeOf(learners.lost) === 100, 30_000, 'the lost grade back in the gradebook');
    await waitFor(async () => rowOf(await report(), learners.lost).state === 'in_sync', 30_000, 'the lost grade reported in sync');
    const after = await report();
    expect(rowOf(after, learners.changed)).toMatchObject({ state: 'changed_in_lms', heldScore: 60 });
    expect(rowOf(after, learners.cleared)).toMatchObject({ state: 'cleared_in_lms' });
    expect(gradeOf(learners.changed)).toBe(60);
    expect(gradeOf(learners.cleared)).toBeNull();
    const audited = await tool.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'score.resync_requested'), eq(auditEntries.subjectId, result.passbackIds[0] ?? '')));
    expect(audited).toMatchObject([{ actorUserId: lms.assessor.id, actorRole: 'assessor', learnerUserId: learners.lost.id, unitId: 'unit-s', contextId: lms.course.id }]);
  });

  it('sends Attest’s grade over a teacher’s only when the instructor resyncs that row, and Moodle still keeps the override', async () => {
    const changed = rowOf(await report(), learners.changed);
    const reply = await assessor.post(`/api/sync/rows/${changed.passbackId}/resync`, { confirm: true });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const result = ResyncResultSchema.parse(reply.body);
    expect(result).toMatchObject({ queued: 1, skippedChangedByHand: 0 });
    const [resent] = result.passbackIds;
    await waitFor(async () => (await tool.db.select().from(scorePassbacks).where(eq(scorePassbacks.id, resent ?? '')))[0]?.state === 'sent', 30_000, 'the resent grade accepted');
    // Moodle accepts the score but an overridden grade keeps its value (grade_item.php update_raw_grade).
    expect(gradeOf(learners.changed)).toBe(60);
    expect(rowOf(await report(), learners.changed)).toMatchObject({ state: 'changed_in_lms', heldScore: 60 });
    expect(gradeOf(learners.cleared)).toBeNull();
  });

  it('resends a lost grade once when two resyncs ask at the same moment', async () => {
    lms.lms.loseGrade({ courseId: lms.course.id, lineItemId, learnerId: learners.lost.id });
    const replies = await Promise.all([assessor.post('/api/sync/course/resync', { confirm: true }), assessor.post('/api/sync/units/resync', { lineItemUrl: rowOf(await report(), learners.lost).lineItemUrl })]);
    const results = replies.map((reply) => ResyncResultSchema.parse(reply.body));
    expect(results.reduce((sum, result) => sum + result.queued, 0)).toBe(1);
    await waitFor(() => gradeOf(learners.lost) === 100, 30_000, 'the lost grade back once more');
  });

  it('reconciles on its own: reports the drift and resends only a grade the LMS lost', async () => {
    lms.lms.loseGrade({ courseId: lms.course.id, lineItemId, learnerId: learners.kept.id });
    const drifts: CourseDrift[] = [];
    await reconcileGradebooks({ db: tool.db, resultsReader: tool.lti.resultsReader, jobs: tool.jobs }, (drift) => drifts.push(drift));
    const ours = drifts.find((d) => d.course.contextId === lms.course.id);
    expect(ours).toMatchObject({ drift: { missing_in_lms: 1, cleared_in_lms: 1 }, repaired: 1 });
    await waitFor(() => gradeOf(learners.kept) === 100, 30_000, 'the reconciled grade');
    expect(gradeOf(learners.cleared)).toBeNull();
    const audited = await tool.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'score.resync_requested'), eq(auditEntries.learnerUserId, learners.kept.id)));
    expect(audited).toMatchObject([{ actorType: 'system', actorRole: 'gradebook-reconciliation' }]);
  });

  it('reports a deleted activity’s line item (404) for every learner and offers no resync to it', async () => {
    lms.lms.deleteLineItem(lineItemId);
    const sync = await report();
    expect(sync.rows.map((r) => r.state)).toEqual(['line_item_deleted', 'line_item_deleted', 'line_item_deleted', 'line_item_deleted']);
    expect(sync.rows.every((r) => !r.canResync && r.explanation.includes('deleted'))).toBe(true);
    const before = await passbackCount();
    expect((await assessor.post(`/api/sync/rows/${rowOf(sync, learners.cleared).passbackId}/resync`, { confirm: true })).status).toBe(409);
    expect(ResyncResultSchema.parse((await assessor.post('/api/sync/course/resync', { confirm: true })).body)).toMatchObject({ queued: 0 });
    expect(await passbackCount()).toBe(before);
  });
});

describe('the gradebook sync report on Canvas', () => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  const report = async (): Promise<CourseSyncReport> => CourseSyncReportSchema.parse((await assessor.get('/api/sync/course')).body);

  beforeAll(async () => {
    tool = await startTestToolServer('postgres', { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'canvas');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
  }, 120_000);
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  it('shows a tutor’s SpeedGrader grade Canvas kept over Attest’s as overridden, and the course resync leaves it', async () => {
    const learner = aLearner(lms, 'Tutor graded');
    const lineItemId = lms.link.lineItemId ?? '';
    const version = await readyForSignOff(tool, lms, assessor, learner);
    // The declaration's "needs grading" score reaches Canvas; then a tutor grades in SpeedGrader.
    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id), 30_000, 'the submission needing grading');
    lms.lms.gradeAsTutor({ courseId: lms.course.id, lineItemId, learnerId: learner.id, graderId: lms.assessor.id, score: 85 });
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id && e.gradingProgress === 'FullyGraded'), 30_000, 'the completion');
    await waitFor(async () => (await report()).rows.some((r) => r.learnerUserId === learner.id && r.state !== 'pending'), 30_000, 'the completion recorded');

    const row = (await report()).rows.find((r) => r.learnerUserId === learner.id);
    expect(row).toMatchObject({ state: 'overridden_in_lms', expectedScore: 100, isRepairedByBulkResync: false, canResync: true });
    const before = await tool.db.select({ n: count() }).from(scorePassbacks);
    expect(ResyncResultSchema.parse((await assessor.post('/api/sync/course/resync', { confirm: true })).body)).toMatchObject({ queued: 0, skippedChangedByHand: 1 });
    expect(await tool.db.select({ n: count() }).from(scorePassbacks)).toEqual(before);
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)?.grade).toBe(85);
  });

});
