import type { PlatformMode, ToolRegistration } from '@attest/platform-emulator';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { launchChromium } from '../src/launch-chromium.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends, startStack, type Backend, type Stack } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unitId = 'nvq2-cs-204';
const unitTitle = 'Live up to the customer service promise';
const combinations: [PlatformMode, Backend][] = (['moodle', 'canvas'] as const).flatMap((mode) => backends.map((backend): [PlatformMode, Backend] => [mode, backend]));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(combinations)('score passback in %s mode on %s', (mode, backend) => {
  let stack: Stack;
  let registration: ToolRegistration;
  let context: BrowserContext;

  beforeAll(async () => {
    stack = await startStack({ mode, backend, postgresAdminUrl: inject('attestE2ePostgresAdminUrl') });
    registration = await stack.registerAndActivate();
    context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  });
  afterAll(async () => {
    await context?.close();
    await stack?.close();
  });

  /** A course of its own with one unit activity, and the instructor's caseload open on it. */
  async function openCaseload() {
    const { emulator } = stack;
    const course = emulator.createCourse({ title: 'Customer Service Level 2' });
    const instructor = emulator.createUser({ name: 'Alex Assessor', givenName: 'Alex', familyName: 'Assessor' });
    const learner = emulator.createUser({ name: 'Lee Learner', givenName: 'Lee', familyName: 'Learner' });
    emulator.enrol(course.id, instructor.id, 'instructor');
    emulator.enrol(course.id, learner.id, 'learner');
    const link = emulator.placeResourceLink({
      courseId: course.id,
      clientId: registration.clientId,
      title: unitTitle,
      custom: { attest_unit: unitId },
      lineItem: { scoreMaximum: 100, label: unitTitle, resourceId: unitId, tag: 'attest-unit' },
    });
    const page = await context.newPage();
    const opened = await openCoursePage(page, emulator.coursePageUrl({ courseId: course.id, userId: instructor.id, resourceLinkId: link.id }));
    const form = opened.tool.getByRole('form', { name: 'Score for Lee Learner' });
    await form.waitFor({ timeout: UI_WAIT_MS });
    const gradeOfLearner = () => emulator.getGradebook(course.id).find((entry) => entry.userId === learner.id && entry.lineItemId === link.lineItemId) ?? null;
    return { page, ...opened, form, course, gradeOfLearner };
  }

  async function sendScore(form: ReturnType<FrameLocator['getByRole']>, score: string, gradingProgress: string): Promise<void> {
    await form.getByLabel('Score (0–100)').fill(score);
    await form.getByLabel('Activity progress').selectOption('Completed');
    await form.getByLabel('Grading progress').selectOption(gradingProgress);
    await form.getByRole('button', { name: 'Send score' }).click();
    await expect.poll(() => form.getByRole('status').textContent(), { timeout: UI_WAIT_MS, interval: 250 }).toBe('Score sent to the gradebook.');
  }

  it('sends a score from the caseload view into the gradebook', async () => {
    const { page, frame, form, course, gradeOfLearner } = await openCaseload();

    const report = await checkScreen(page, frame, ltiFrameSelector, `caseload-${mode}-${backend}`);
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);

    await sendScore(form, '80', 'FullyGraded');
    expect(gradeOfLearner(), stack.toolLog.join('\n')).toMatchObject({ grade: 80, scoreGiven: 80, activityProgress: 'Completed', gradingProgress: 'FullyGraded', acceptedScores: 1 });
    await screenshotGradebook(page, stack.emulator.gradebookPageUrl(course.id), `gradebook-${mode}-${backend}`);
    await page.close();
  });

  it(`treats a later score that is not FullyGraded as ${mode === 'moodle' ? 'Moodle does: it clears the grade' : 'Canvas does: it records the score as sent'}`, async () => {
    const { page, form, gradeOfLearner } = await openCaseload();

    await sendScore(form, '80', 'FullyGraded');
    await sendScore(form, '60', 'Pending');

    const expected = mode === 'moodle' ? { grade: null, scoreGiven: null } : { grade: 60, scoreGiven: 60 };
    expect(gradeOfLearner(), stack.toolLog.join('\n')).toMatchObject({ ...expected, gradingProgress: 'Pending', acceptedScores: 2 });
    await page.close();
  });
});

async function screenshotGradebook(page: Page, url: string, name: string): Promise<void> {
  const gradebook = await page.context().newPage();
  await gradebook.goto(url);
  await gradebook.screenshot({ path: `/tmp/attest-e2e-${name}.png`, fullPage: true });
  await gradebook.close();
}
