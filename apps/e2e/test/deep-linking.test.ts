import { loadCatalogue } from '@attest/standards/loader';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { launchChromium } from '../src/launch-chromium.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends, startStack, type Stack } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit = loadCatalogue().units.find((candidate) => candidate.id === 'nvq2-cs-203');
if (!unit) throw new Error('the catalogue has no unit nvq2-cs-203');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(backends)('deep linking on %s', (backend) => {
  let stack: Stack;
  let context: BrowserContext;

  beforeAll(async () => {
    stack = await startStack({ mode: 'moodle', backend, postgresAdminUrl: inject('attestE2ePostgresAdminUrl') });
    context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
    await stack?.close();
  });

  it('places the unit an instructor picks in the framed picker as an activity with its line item', async () => {
    const { emulator } = stack;
    const registration = await stack.registerAndActivate();
    const course = emulator.createCourse({ title: 'Customer Service Level 2' });
    const instructor = emulator.createUser({ name: 'Alex Assessor', givenName: 'Alex', familyName: 'Assessor' });
    emulator.enrol(course.id, instructor.id, 'instructor');

    const page = await context.newPage();
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
    await page.close();
  });
});
