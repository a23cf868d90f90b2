import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit = getUnit('nvq2-cs-203');
/** An activity the course already has, through which the learner opens Attest. */
const otherUnit = getUnit('nvq2-cs-201');

const browser = useBrowser();

/** The unit ids the learner's portfolio lists, as the tool sent them to the learner's page. */
async function unitsInPortfolio(page: Page, open: () => Promise<unknown>): Promise<string[]> {
  const [response] = await Promise.all([page.waitForResponse((candidate) => new URL(candidate.url()).pathname === '/api/portfolio' && candidate.ok(), { timeout: UI_WAIT_MS }), open()]);
  const body = (await response.json()) as { units: { unitId: string }[] };
  return body.units.map((entry) => entry.unitId).sort();
}

describe.each(backends)('deep linking on %s', (backend) => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend });

  /** The instructor picks the unit in the framed picker; Moodle answers with the activity form it filled. */
  async function pickUnit(options: { screenshot?: boolean } = {}) {
    const { emulator, registration } = lms;
    const course = lms.createCourse({ learners: ['Lee Learner'], assessors: ['Alex Assessor'], units: [otherUnit] });
    const [instructor] = course.assessors;
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, emulator.coursePageUrl({ courseId: course.course.id, userId: instructor.id, deepLinkingClientId: registration.clientId }));
    const checkbox = tool.getByRole('checkbox', { name: new RegExp(unit.title) });
    await checkbox.waitFor({ timeout: UI_WAIT_MS });
    if (options.screenshot) {
      const report = await checkScreen(page, frame, ltiFrameSelector, `deep-linking-picker-${backend}`);
      expect(report.violations, report.violations.join('\n')).toEqual([]);
      expect(report.overflowAt375).toBe(0);
    }
    await checkbox.check();
    await tool.getByRole('button', { name: 'Add selected units' }).click();
    // The picker posts the signed response to Moodle from inside the frame; Moodle fills the activity form there.
    await expect.poll(() => tool.locator('#activity-form').getAttribute('data-activities', { timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe('1');
    expect(await tool.locator('#activity-form-items li').allTextContents()).toEqual([expect.stringContaining(unit.title)]);
    // Nothing exists yet: Moodle creates the activity when the form is saved.
    expect(emulator.getResourceLinks(course.course.id).map((link) => link.title)).toEqual([otherUnit.title]);
    return { course, page, tool };
  }

  it('places the unit an instructor picks once they save Moodle’s activity form, and lists it to learners before anyone opens it', async () => {
    const { emulator } = lms;
    const { course, page, tool } = await pickUnit({ screenshot: true });
    await tool.getByRole('button', { name: 'Save and return to course' }).click();
    // Saving goes back to the course page, which now lists the activity.
    await expect.poll(() => page.locator('#activities a').allTextContents(), { timeout: UI_WAIT_MS }).toEqual([otherUnit.title, unit.title]);

    const placed = emulator.getResourceLinks(course.course.id).filter((link) => link.placedBy === 'deepLinking');
    expect(placed.map((link) => ({ title: link.title, custom: link.custom }))).toEqual([{ title: unit.title, custom: expect.objectContaining({ attest_unit: unit.id }) }]);
    const lineItems = emulator.getLineItems(course.course.id).filter((item) => item.resourceId === unit.id);
    expect(lineItems.map((item) => ({ scoreMaximum: item.scoreMaximum, label: item.label, tag: item.tag, resourceLinkId: item.resourceLinkId }))).toEqual([
      { scoreMaximum: 100, label: unit.title, tag: 'attest-unit', resourceLinkId: placed[0]?.id },
    ]);

    // The learner opens the other activity: the new unit is in their portfolio though nobody has launched it.
    const [learner] = course.learners;
    const learnerPage = await lms.newPage();
    expect(await unitsInPortfolio(learnerPage, () => openCoursePage(learnerPage, course.pageUrl(learner, course.links[0])))).toEqual([otherUnit.id, unit.id].sort());
  });

  it('places nothing when the instructor cancels Moodle’s activity form', async () => {
    const { emulator } = lms;
    const { course, page, tool } = await pickUnit();
    await tool.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.pathname === `/course/${course.course.id}`, { timeout: UI_WAIT_MS });
    expect(await page.locator('#activities a').allTextContents()).toEqual([otherUnit.title]);
    expect(emulator.getResourceLinks(course.course.id).map((link) => link.title)).toEqual([otherUnit.title]);
    expect(emulator.getLineItems(course.course.id).filter((item) => item.resourceId === unit.id)).toEqual([]);

    const [learner] = course.learners;
    const learnerPage = await lms.newPage();
    expect(await unitsInPortfolio(learnerPage, () => openCoursePage(learnerPage, course.pageUrl(learner, course.links[0])))).toEqual([otherUnit.id]);
  });
});
