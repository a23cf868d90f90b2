import { ASSESSOR_UNIT_DECLARATION, AssessorPortfolioSchema, SignOffStateSchema } from '@attest/contracts';
import { launchToolApi, readyLearnerAssessment, seedReadyForSignOff } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { waitForGradebookEntry } from '../src/wait-for-gradebook-entry.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 14, item 5 in a browser: two learners signed off; then, in the LMS, a teacher changes one
// grade by hand and the gradebook loses the other. The sync screen shows both, each explained;
// "Resync the course" repairs only the lost grade, and the teacher's grade stays as they set it.
// Moodle mode (its grader report override, mod/lti/service/gradebookservices), on PostgreSQL.

const unit = getUnit('nvq2-cs-201');
const today = new Date().toISOString().slice(0, 10);
const browser = useBrowser();

describe('the gradebook sync dashboard in moodle mode on postgres', () => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: 'postgres' });

  it('shows a grade changed by hand and a lost grade, and the course resync repairs only the lost one', { timeout: 600_000 }, async () => {
    const { emulator, tool: toolServer, toolLog } = lms;
    const {
      course,
      assessors: [assessor],
      learners: [priya, sam],
      links: [link],
      pageUrl,
    } = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Priya Patel', 'Sam Shah'], units: [unit] });
    const lineItemId = link.lineItemId ?? '';
    const explain = () => toolLog;

    // Both learners ready and signed off through the tool's API, as the demo seeds them.
    const { api: assessorApi } = await launchToolApi(emulator.launchUrl({ courseId: course.id, userId: assessor.id, resourceLinkId: link.id }), toolServer.url);
    for (const learner of [priya, sam]) {
      await seedReadyForSignOff({ emulator, toolUrl: toolServer.url, courseId: course.id, learnerId: learner.id, assessorId: assessor.id, resourceLinkId: link.id, otherResourceLinkIds: [], assessment: readyLearnerAssessment(unit.id, today) });
      const portfolio = await assessorApi.get(`/api/assessor/learners/${learner.id}/portfolio`, AssessorPortfolioSchema);
      await assessorApi.post(`/api/assessor/learners/${learner.id}/sign-off`, { reportVersion: portfolio.report?.version ?? 0, declaration: ASSESSOR_UNIT_DECLARATION }, SignOffStateSchema);
      await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId, isDone: (e) => e.grade === 100, what: `${learner.name}’s completion`, explain });
    }

    // In the LMS: the teacher overrides Priya's grade; Sam's grade is lost (a course reset).
    emulator.overrideGrade({ courseId: course.id, lineItemId, learnerId: priya.id, score: 72 });
    emulator.loseGrade({ courseId: course.id, lineItemId, learnerId: sam.id });

    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, pageUrl(assessor, link));
    await waitForHeading(frame, tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog });
    await tool.getByRole('button', { name: 'Gradebook sync' }).click();
    await waitForHeading(frame, tool, 'Grades in the LMS gradebook', { toolLog });

    const cardOf = (name: string) => tool.getByRole('listitem').filter({ has: tool.getByRole('heading', { name, level: 3 }) });
    const priyaCard = cardOf('Priya Patel');
    const samCard = cardOf('Sam Shah');
    await priyaCard.getByText('Changed by hand in the LMS').waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => priyaCard.textContent()).toMatch(/Someone changed this grade by hand.*Attest’s grade.*100 of 100.*Gradebook holds.*72 of 100/);
    await samCard.getByText('Lost by the gradebook').waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => samCard.textContent()).toMatch(/no longer has it.*Gradebook holds.*No grade/);

    const report = await checkScreen(page, frame, ltiFrameSelector, 'gradebook-sync-moodle-postgres');
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);

    // The course-wide resync asks first, then sends only what the LMS lost.
    await tool.getByRole('button', { name: 'Resync the course' }).click();
    const confirmation = tool.getByRole('alertdialog', { name: 'Send the course’s lost and refused grades again?' });
    await confirmation.getByText('Grades changed, removed or kept by hand in the LMS are left as they are.').waitFor({ timeout: UI_WAIT_MS });
    await confirmation.getByRole('button', { name: 'Send them again' }).click();
    await expect.poll(() => tool.getByRole('status').first().textContent(), { timeout: UI_WAIT_MS, interval: 500 }).toBe(
      '1 grade is being sent again. 1 grade changed in the LMS was left as it is: resync those one at a time if Attest’s grade should replace them.',
    );
    await waitForGradebookEntry({ emulator, courseId: course.id, userId: sam.id, lineItemId, isDone: (e) => e.grade === 100, what: 'Sam’s grade sent again', explain });
    expect(emulator.getGradebook(course.id).find((e) => e.userId === priya.id)?.grade).toBe(72);

    // Checked again, Sam's grade is back and Priya's still waits for a person.
    await tool.getByRole('button', { name: 'Check again' }).click();
    await samCard.getByText('In the gradebook').waitFor({ timeout: UI_WAIT_MS });
    await priyaCard.getByText('Changed by hand in the LMS').waitFor({ timeout: UI_WAIT_MS });
    expect(await priyaCard.getByRole('button', { name: 'Send Attest’s grade again: Priya Patel' }).count()).toBe(1);
    expect(emulator.getGradebook(course.id).find((e) => e.userId === priya.id)?.grade).toBe(72);
  });
});
