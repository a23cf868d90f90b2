import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 14 item 8 in a browser, through the emulator's moodle mode (packages/platform-emulator/src/
// grade-analysis.ts, after mod/lti grade.php → view.php → launch.php?action=gradeReport): Moodle's
// gradebook Grade analysis sends an LtiSubmissionReviewRequest for one learner, and Attest opens
// that learner's unit for the assessor, on the same screen as SpeedGrader's launch in Canvas.

const unit = getUnit('nvq2-cs-201');
const browser = useBrowser();

describe.each(backends)('Moodle Grade analysis in a browser on %s', (backend) => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend });

  it('opens the learner’s unit for the assessor who opens that learner’s grade, and opens the learner’s own unit for the learner', { timeout: 300_000 }, async () => {
    const { emulator, toolLog } = lms;
    const {
      course,
      assessors: [assessor],
      learners: [learner],
      links: [link],
    } = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Priya Patel'], units: [unit] });

    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, emulator.gradeAnalysisPageUrl({ courseId: course.id, resourceLinkId: link.id, learnerId: learner.id, graderId: assessor.id }));
    await waitForHeading(frame, tool, 'Priya Patel', { timeoutMs: UI_WAIT_MS, toolLog });
    await tool.getByRole('region', { name: 'Sign-off' }).waitFor({ timeout: UI_WAIT_MS });

    // Moodle lets a learner open their own Grade analysis: their own unit, and no assessor page.
    const own = await openCoursePage(await lms.newPage(), emulator.gradeAnalysisPageUrl({ courseId: course.id, resourceLinkId: link.id, learnerId: learner.id, graderId: learner.id }));
    await waitForHeading(own.frame, own.tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog });
    expect(await own.tool.getByRole('region', { name: 'Sign-off' }).count()).toBe(0);
  });
});
