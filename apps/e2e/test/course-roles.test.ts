import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 14, item 2: roles from the launch, not only from the roster. Moodle's roster (NRPS) decides
// roles at course level and lists a non-editing teacher as a Learner, while their launches say
// Instructor (the emulator's Moodle mode does both, citing mod/lti: platform-profile.ts). Colleges
// often enrol assessors that way; such an assessor must get the caseload, and must not appear on
// anyone's caseload as a learner. People who have not launched are still placed by the roster.

const unit = getUnit('nvq2-cs-201');

/** The names on the caseload's learner cards, once the caseload has drawn. */
async function caseloadNames(tool: FrameLocator): Promise<string[]> {
  const learners = tool.getByRole('region', { name: /^Learners \(\d+\)$/ });
  await learners.waitFor({ timeout: UI_WAIT_MS });
  return (await learners.getByRole('heading', { level: 3 }).allTextContents()).sort();
}

describe('a non-editing teacher in Moodle', () => {
  const browser = useBrowser();
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: backends[0] });

  it('launches to the caseload as an assessor and is on no caseload as a learner, although the roster lists them as one', async () => {
    const { emulator, toolLog } = lms;
    const {
      course,
      assessors: [editingTeacher],
      links: [link],
      pageUrl,
    } = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Priya Patel', 'Sam Singh'], units: [unit] });
    const nonEditingTeacher = emulator.createUser({ name: 'Nina Noneditor' });
    emulator.enrol(course.id, nonEditingTeacher.id, 'teachingAssistant');

    // Her own launch: the assessor's caseload, the two learners and neither teacher.
    const page = await lms.newPage();
    const asNonEditingTeacher = await openCoursePage(page, pageUrl(nonEditingTeacher, link));
    await waitForHeading(asNonEditingTeacher.frame, asNonEditingTeacher.tool, unit.title, { toolLog });
    expect(await caseloadNames(asNonEditingTeacher.tool)).toEqual(['Priya Patel', 'Sam Singh']);
    // Neither learner has opened Attest: the roster alone put them there, as it should.
    expect(await asNonEditingTeacher.tool.getByText('Has not opened Attest yet.').count()).toBe(2);

    // The editing teacher's caseload does not list her either.
    const asEditingTeacher = await openCoursePage(page, pageUrl(editingTeacher, link));
    await waitForHeading(asEditingTeacher.frame, asEditingTeacher.tool, unit.title, { toolLog });
    expect(await caseloadNames(asEditingTeacher.tool)).toEqual(['Priya Patel', 'Sam Singh']);
    expect(await asEditingTeacher.tool.getByRole('button', { name: 'Open portfolio of Nina Noneditor' }).count()).toBe(0);
  });
});
