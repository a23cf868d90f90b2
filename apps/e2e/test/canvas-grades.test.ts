import { ASSESSOR_UNIT_DECLARATION } from '@attest/contracts';
import { readyLearnerAssessment, seedReadyForSignOff } from '@attest/demo';
import type { GradebookEntry } from '@attest/platform-emulator';
import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { waitForGradebookEntry } from '../src/wait-for-gradebook-entry.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 10 in a browser, through the emulator's canvas mode (which follows canvas-lms
// scores_controller.rb, see packages/platform-emulator/src/canvas/submission-rules.ts):
// SpeedGrader opens the learner's unit although the first passback failed, and a grade a tutor
// entered by hand in SpeedGrader survives Attest's completion.

const unit = getUnit('nvq2-cs-201');
const today = new Date().toISOString().slice(0, 10);

const browser = useBrowser();

describe.each(backends)('Canvas grades in a browser on %s', (backend) => {
  const lms = useBrowserStack(browser, { mode: 'canvas', backend });

  /** A course with one learner made ready for sign-off through the tool's API, as the demo does. */
  async function readyCourse(learnerName: string) {
    const { emulator, tool } = lms;
    const course = lms.createCourse({ assessors: ['Alex Assessor'], learners: [learnerName], units: [unit] });
    const {
      assessors: [assessor],
      learners: [learner],
      links: [link],
    } = course;
    await seedReadyForSignOff({ emulator, toolUrl: tool.url, courseId: course.course.id, learnerId: learner.id, assessorId: assessor.id, resourceLinkId: link.id, otherResourceLinkIds: [], assessment: readyLearnerAssessment(unit.id, today) });
    return { ...course, assessor, learner, link };
  }

  /** The assessor signs the unit off on the learner's page in the LMS frame; returns the page's sign-off region. */
  async function signOffInBrowser(pageUrl: string, learnerName: string) {
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, pageUrl);
    await waitForHeading(frame, tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog: lms.toolLog });
    await tool.getByRole('button', { name: `Open portfolio of ${learnerName}` }).click();
    await waitForHeading(frame, tool, learnerName, { toolLog: lms.toolLog });
    const signOff = tool.getByRole('region', { name: 'Sign-off' });
    await signOff.getByLabel(ASSESSOR_UNIT_DECLARATION).check();
    await tool.getByRole('button', { name: 'Sign off the unit' }).click();
    await tool.getByRole('button', { name: 'Yes, sign off the unit' }).click();
    await signOff.getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
    return signOff;
  }

  it('opens the learner’s unit from SpeedGrader when the first passback failed and the next was retried until Canvas took it', { timeout: 300_000 }, async () => {
    const { emulator, toolLog } = lms;
    const scorePosts = () => emulator.getRequestLog().filter((r) => r.method === 'POST' && r.path.endsWith('/scores'));
    emulator.clearRequestLog();
    // Canvas refuses the candidate's declaration (a learner it does not see as a student yet); the tool does not retry a 422.
    emulator.injectScoreFailures({ count: 1, status: 422 });
    const { course, assessor, learner, link, pageUrl } = await readyCourse('Priya Patel');
    await expect.poll(() => scorePosts().map((r) => r.status), { timeout: UI_WAIT_MS }).toEqual([422]);
    // Then Canvas is down once: the completion fails, and the tool's retry gets through.
    emulator.injectScoreFailures({ count: 1, status: 503 });
    await signOffInBrowser(pageUrl(assessor, link), 'Priya Patel');
    const { entry } = await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId: link.lineItemId ?? '', isDone: (e) => e.gradingProgress === 'FullyGraded', what: 'the completion', explain: () => toolLog });
    expect(scorePosts().map((r) => r.status)).toEqual([422, 503, 200]);
    expect(entry).toMatchObject({ grade: 100, acceptedScores: 1, submission: { attempt: 1, submissionType: 'basic_lti_launch' } });

    // SpeedGrader frames the submission's URL, launched as the grader: the tool opens that learner.
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, emulator.speedGraderPageUrl({ courseId: course.id, lineItemId: link.lineItemId ?? '', learnerId: learner.id, graderId: assessor.id }));
    await waitForHeading(frame, tool, 'Priya Patel', { timeoutMs: UI_WAIT_MS, toolLog });
    await tool.getByRole('region', { name: 'Sign-off' }).getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
  });

  it('keeps the grade a tutor entered by hand in SpeedGrader through Attest’s completion, and the assessor is told so', { timeout: 300_000 }, async () => {
    const { emulator, toolLog } = lms;
    const { course, assessor, learner, link, pageUrl } = await readyCourse('Sam Shah');
    const needsGrading = (e: GradebookEntry) => e.gradingProgress === 'PendingManual';
    await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId: link.lineItemId ?? '', isDone: needsGrading, what: 'the submission needing grading', explain: () => toolLog });
    emulator.gradeAsTutor({ courseId: course.id, lineItemId: link.lineItemId ?? '', learnerId: learner.id, graderId: assessor.id, score: 85 });

    const signOff = await signOffInBrowser(pageUrl(assessor, link), 'Sam Shah');
    const { entry } = await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId: link.lineItemId ?? '', isDone: (e) => e.gradingProgress === 'FullyGraded', what: 'the completion', explain: () => toolLog });
    expect(entry).toMatchObject({ grade: 85, scoreGiven: 100, submission: { gradedBy: 'tutor', graderId: assessor.id } });
    await expect.poll(() => signOff.getByRole('status').first().textContent(), { timeout: UI_WAIT_MS, interval: 500 }).toMatch(/^Gradebook: sent, unit completed.*the gradebook keeps the tutor’s own grade \(85 of 100\)/);

    // The teacher's gradebook shows the tutor's grade, not Attest's full marks.
    const gradebook = await lms.newPage();
    await gradebook.goto(emulator.gradebookPageUrl(course.id));
    expect(await gradebook.locator(`tr[data-user-id="${learner.id}"] td.grade`).textContent()).toBe('85');
  });
});
