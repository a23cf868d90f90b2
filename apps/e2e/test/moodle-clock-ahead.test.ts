import { ASSESSOR_UNIT_DECLARATION, CANDIDATE_UNIT_DECLARATION, SignOffStateSchema } from '@attest/contracts';
import { launchToolApi, readyLearnerAssessment, seedReadyForSignOff } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';
import { waitForGradebookEntry } from '../src/wait-for-gradebook-entry.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';

// Issue 14 item 7: a score Moodle refuses with 409 "earlier timestamp" still reaches the gradebook.
// Moodle's server clock runs ahead of the tool's. Reopening a signed-off unit sends a score without a
// grade, which Moodle dates by its own clock (lib/grade/grade_item.php update_raw_grade: time()); the
// unit signed off again moments later is dated by Attest's clock, earlier, and refused. The worker
// sends it again dated now and, while Moodle still refuses, later: the completion arrives.

const unit = getUnit('nvq2-cs-201');
const today = new Date().toISOString().slice(0, 10);
/**
 * Moodle's clock ahead of the tool's: more than the worker's first resend (the next whole second)
 * bridges, and more than the reopen-to-sign-off below takes on a busy machine, so the refusal is
 * certain; the worker's later retries (after 5, 10, 20 s) pass it.
 */
const moodleAheadSeconds = 30;
const browser = useBrowser();

describe('a score Moodle refuses as older', () => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: 'pglite' });

  it('reaches the gradebook when the unit is signed off again after a reopen, though Moodle’s clock is ahead', { timeout: 300_000 }, async () => {
    const { emulator, tool: toolServer, toolLog } = lms;
    const course = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Rhea Resit'], units: [unit] });
    const {
      assessors: [assessor],
      learners: [learner],
      links: [link],
    } = course;
    await seedReadyForSignOff({ emulator, toolUrl: toolServer.url, courseId: course.course.id, learnerId: learner.id, assessorId: assessor.id, resourceLinkId: link.id, otherResourceLinkIds: [], assessment: readyLearnerAssessment(unit.id, today) });
    emulator.setClockAhead(moodleAheadSeconds);
    const lineItemId = link.lineItemId ?? '';
    const gradebook = (what: string, isDone: Parameters<typeof waitForGradebookEntry>[0]['isDone']) => waitForGradebookEntry({ emulator, courseId: course.course.id, userId: learner.id, lineItemId, isDone, what, explain: () => toolLog });
    const scoreAnswers = () => emulator.getRequestLog().filter((r) => r.method === 'POST' && new URL(r.path, 'http://lms').pathname.endsWith('/scores')).map((r) => r.status);

    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, course.pageUrl(assessor, link));
    await waitForHeading(frame, tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog });
    await tool.getByRole('button', { name: 'Open portfolio of Rhea Resit' }).click();
    await waitForHeading(frame, tool, 'Rhea Resit', { toolLog });
    const signOff = tool.getByRole('region', { name: 'Sign-off' });
    const signOffInBrowser = async () => {
      await signOff.getByLabel(ASSESSOR_UNIT_DECLARATION).check();
      await tool.getByRole('button', { name: 'Sign off the unit' }).click();
      await tool.getByRole('button', { name: 'Yes, sign off the unit' }).click();
      await signOff.getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
    };

    await signOffInBrowser();
    await gradebook('the first completion', (e) => e.gradingProgress === 'FullyGraded');

    // Reopened: Moodle clears the grade and dates it by its own clock, seconds ahead of Attest's.
    await tool.getByRole('button', { name: 'Reopen this unit' }).click();
    await tool.getByLabel('Why is this unit reopened?').fill('The candidate asked to add a witness statement before the unit is final.');
    await tool.getByRole('button', { name: 'Continue' }).click();
    await tool.getByRole('button', { name: 'Reopen and clear the grade' }).click();
    await gradebook('the cleared grade', (e) => e.gradingProgress === 'NotReady');

    // The candidate declares again and the assessor signs again at once: dated before Moodle's clock.
    const { api: learnerApi } = await launchToolApi(emulator.launchUrl({ courseId: course.course.id, userId: learner.id, resourceLinkId: link.id }), toolServer.url);
    await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION }, SignOffStateSchema.omit({ grade: true }));
    const reloaded = await openCoursePage(page, course.pageUrl(assessor, link));
    await waitForHeading(reloaded.frame, reloaded.tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog });
    await reloaded.tool.getByRole('button', { name: 'Open portfolio of Rhea Resit' }).click();
    await waitForHeading(reloaded.frame, reloaded.tool, 'Rhea Resit', { toolLog });
    const again = reloaded.tool.getByRole('region', { name: 'Sign-off' });
    await again.getByLabel(ASSESSOR_UNIT_DECLARATION).check();
    await reloaded.tool.getByRole('button', { name: 'Sign off the unit' }).click();
    await reloaded.tool.getByRole('button', { name: 'Yes, sign off the unit' }).click();
    await again.getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });

    const { entry, waitedMs } = await gradebook('the completion after Moodle’s refusal', (e) => e.gradingProgress === 'FullyGraded' && e.acceptedScores >= 3);
    const answers = scoreAnswers();
    console.log(`Moodle ${moodleAheadSeconds} s ahead: the score answers were ${answers.join(', ')}; the completion arrived ${(waitedMs / 1000).toFixed(1)} s after the second sign-off`);
    expect(answers).toContain(409);
    expect(answers.at(-1)).toBe(200);
    expect(entry).toMatchObject({ grade: 100, scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    // The assessor is told the grade is in the gradebook, not that it failed.
    await expect.poll(() => again.getByRole('status').first().textContent(), { timeout: UI_WAIT_MS, interval: 500 }).toMatch(/^Gradebook: sent, unit completed/);
  });
});
