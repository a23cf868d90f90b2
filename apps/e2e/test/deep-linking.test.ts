import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit = getUnit('nvq2-cs-203');

const browser = useBrowser();

describe.each(backends)('deep linking on %s', (backend) => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend });

  it('places the unit an instructor picks in the framed picker as an activity with its line item', async () => {
    const { emulator, registration } = lms;
    // No units: placing one is what this test does, through the tool's picker.
    const { course, assessors: [instructor] } = lms.createCourse({ assessors: ['Alex Assessor'] });

    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, emulator.coursePageUrl({ courseId: course.id, userId: instructor.id, deepLinkingClientId: registration.clientId }));
    const checkbox = tool.getByRole('checkbox', { name: new RegExp(unit.title) });
    await checkbox.waitFor({ timeout: UI_WAIT_MS });

    const report = await checkScreen(page, frame, ltiFrameSelector, `deep-linking-picker-${backend}`);
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);

    await checkbox.check();
    await tool.getByRole('button', { name: 'Add selected units' }).click();
    // The picker posts the signed response to the LMS from inside the frame; the LMS answers there.
    await expect.poll(() => tool.locator('#deep-linking-result').getAttribute('data-placed', { timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe('1');

    const links = emulator.getResourceLinks(course.id);
    expect(links.map((link) => ({ title: link.title, placedBy: link.placedBy, custom: link.custom }))).toEqual([
      { title: unit.title, placedBy: 'deepLinking', custom: expect.objectContaining({ attest_unit: unit.id }) },
    ]);
    const lineItems = emulator.getLineItems(course.id);
    expect(lineItems.map((item) => ({ scoreMaximum: item.scoreMaximum, label: item.label, resourceId: item.resourceId, tag: item.tag, resourceLinkId: item.resourceLinkId }))).toEqual([
      { scoreMaximum: 100, label: unit.title, resourceId: unit.id, tag: 'attest-unit', resourceLinkId: links[0]?.id },
    ]);

    // The course page now lists the activity, as Moodle's course page would.
    await page.goto(emulator.coursePageUrl({ courseId: course.id, userId: instructor.id }));
    await expect.poll(() => page.locator('#activities a').allTextContents()).toEqual([unit.title]);
  });
});
