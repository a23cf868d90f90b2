import { ASSESSOR_UNIT_DECLARATION, CANDIDATE_UNIT_DECLARATION, SignOffStateSchema } from '@attest/contracts';
import { launchToolApi, readyLearnerAssessment, seedLearnerEvidence } from '@attest/demo';
import type { PlatformMode } from '@attest/platform-emulator';
import { ASSESSMENT_REPORT_CHECKS } from '@attest/standards';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkScreen, type ScreenReport } from '../src/check-screen.ts';
import { env } from '../src/env.ts';
import { unitScoreMaximum, useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends, type Backend } from '../src/start-stack.ts';
import { waitForGradebookEntry } from '../src/wait-for-gradebook-entry.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 4 in a browser: an assessor, inside the LMS's cross-site iframe with the browser's default
// cookie settings, takes a learner's unit from submitted evidence to sign-off, and the completion
// arrives in the LMS gradebook through the tool's job queue. Moodle and Canvas, PGlite and PostgreSQL.
// This is also how a score reaches the gradebook at all: there is no score form (issue 8, item 4),
// so what score-passback.test.ts asserted of the gradebook is asserted here of the sign-off's score.

const unit = getUnit('nvq2-cs-201');
const unitRefs = unit.groups.flatMap((group) => group.statements.map((statement) => statement.ref));
const today = new Date().toISOString().slice(0, 10);
// The learner's reflective account from the demo: submitted, mapped to half of the unit's statements.
const [learnerItem] = readyLearnerAssessment(unit.id, today).evidence;
if (!learnerItem) throw new Error('the demo has no evidence for a learner ready for sign-off');
const itemRefs = learnerItem.mappings.map((mapping) => mapping.ref);
// What the assessor observes: every statement the learner's evidence does not reach.
const observedRefs = unitRefs.filter((ref) => !itemRefs.includes(ref));
const scoreMaximum = unitScoreMaximum;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const refsIn = (lines: readonly string[]) => new Set(lines.flatMap((line) => line.match(/\b201\.\d+\.\d+\b/g) ?? []));
const combinations: [PlatformMode, Backend][] = (['moodle', 'canvas'] as const).flatMap((mode) => backends.map((backend): [PlatformMode, Backend] => [mode, backend]));

function expectClean(report: ScreenReport): void {
  expect(report.violations, report.violations.join('\n')).toEqual([]);
  expect(report.overflowAt375).toBe(0);
}

/** The blocking reasons the sign-off panel lists, one line each (none once the gate is open). */
async function blockingLines(tool: FrameLocator): Promise<string[]> {
  const list = tool.getByRole('list', { name: 'Why sign-off is not possible yet' });
  if ((await list.count()) === 0) return [];
  return list.getByRole('listitem').allTextContents();
}

const browser = useBrowser();

describe.each(combinations)('an assessor signs a unit off in %s mode on %s', (mode, backend) => {
  const lms = useBrowserStack(browser, { mode, backend });

  it('records an observation, accepts the learner’s evidence, completes the report and signs off, and the LMS gradebook shows the completion', { timeout: 600_000 }, async () => {
    const { emulator, tool: toolServer, toolLog } = lms;
    const {
      course,
      assessors: [assessor],
      learners: [learner],
      links: [link],
      pageUrl,
    } = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Priya Patel'], units: [unit] });
    const explain = () => toolLog;

    // The learner's part, through their own launch and the API their browser would call: the
    // evidence submitted with its mappings. It reaches half the statements, so the candidate's
    // declaration waits until the assessor's observation covers the rest.
    const seeded = await seedLearnerEvidence({ emulator, toolUrl: toolServer.url, courseId: course.id, learnerId: learner.id, resourceLinkId: link.id, otherResourceLinkIds: [], evidence: [learnerItem] });
    const [item] = seeded.items;
    expect(item?.state).toBe('submitted');
    const { api: learnerApi } = await launchToolApi(emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), toolServer.url);
    const declare = () => learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION }, SignOffStateSchema.omit({ grade: true }));
    await expect(declare()).rejects.toMatchObject({ status: 422, message: expect.stringContaining(`${observedRefs.length} requirements have no submitted evidence`) });

    // The caseload: the learner, their progress, their item in the queue, the assessor's next step
    // and the gradebook line. Grades come only from decisions: no card carries a score form.
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, pageUrl(assessor, link));
    await waitForHeading(frame, tool, unit.title, { timeoutMs: UI_WAIT_MS, toolLog });
    await tool.getByRole('button', { name: `Assess ${learnerItem.draft.title} by Priya Patel` }).waitFor({ timeout: UI_WAIT_MS });
    await tool.getByText(`0 of ${unitRefs.length} statements met`).waitFor();
    const caseloadCard = tool.getByRole('listitem').filter({ has: tool.getByRole('heading', { name: 'Priya Patel' }) });
    expect(await caseloadCard.textContent()).toMatch(/State1 item is waiting for your decision/);
    expect(await caseloadCard.textContent()).toMatch(/Gradebook: nothing sent yet/);
    expect(await tool.getByRole('form', { name: /^Score for / }).count()).toBe(0);
    expect(await tool.getByRole('button', { name: 'Send score' }).count()).toBe(0);
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-caseload-${mode}-${backend}`));

    // The learner's page: nothing met yet, so the sign-off gate is shut for every statement.
    await tool.getByRole('button', { name: 'Open portfolio of Priya Patel' }).click();
    await waitForHeading(frame, tool, 'Priya Patel', { toolLog });
    const signOffButton = tool.getByRole('button', { name: 'Sign off the unit' });
    await signOffButton.waitFor({ timeout: UI_WAIT_MS });
    expect(await signOffButton.isDisabled()).toBe(true);
    expect(refsIn(await blockingLines(tool))).toEqual(new Set(unitRefs));
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-learner-${mode}-${backend}`));

    // An observation record, mapped to the statements the learner's evidence does not reach.
    await tool.getByRole('button', { name: 'Add an assessment record' }).click();
    const recordForm = tool.getByRole('form', { name: 'New assessment record' });
    await recordForm.waitFor({ timeout: UI_WAIT_MS });
    expect(await recordForm.getByRole('radio', { name: 'Observation record' }).isChecked()).toBe(true);
    await recordForm.getByLabel('Place').fill('Service desk, Riverside store');
    await recordForm.getByLabel('What you saw the candidate do').fill('Greeted each customer promptly, kept a waiting customer informed, found product information on the stock system within a minute and checked a customer had understood a price-match answer.');
    await recordForm.getByRole('checkbox', { name: 'Work products' }).check();
    await recordForm.getByLabel('Where the work products can be found').fill('The shift’s refund log');
    const targets = recordForm.getByRole('group', { name: `Unit ${unit.codes.join(' / ')}: ${unit.title}` });
    for (const ref of observedRefs) await targets.getByRole('checkbox', { name: new RegExp(`^${escape(ref)} `) }).check();
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-record-form-${mode}-${backend}`));
    await recordForm.getByRole('button', { name: 'Save and sign' }).click();
    // Signing asks once: a signed record cannot be edited.
    await tool.getByRole('alertdialog', { name: 'Sign the observation record?' }).waitFor({ timeout: UI_WAIT_MS });
    await tool.getByRole('button', { name: 'Yes, sign it' }).click();
    await tool.getByText('Record saved and signed.').waitFor({ timeout: UI_WAIT_MS });
    // The observed statements are met; the learner's are still waiting for a decision.
    await expect.poll(async () => [...refsIn(await blockingLines(tool))].sort(), { timeout: UI_WAIT_MS }).toEqual([...itemRefs].sort());

    // Every statement has evidence now, so the candidate's declaration is accepted.
    const declared = await declare();
    expect(declared.candidate).toMatchObject({ role: 'candidate', userId: learner.id });
    if (mode === 'canvas') {
      // Canvas lists the unit as needing grading once the candidate asks for assessment.
      const { entry } = await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId: link.lineItemId ?? '', isDone: (e) => e.gradingProgress === 'PendingManual', what: 'the submission needing grading', explain });
      expect(entry).toMatchObject({ activityProgress: 'Submitted', scoreGiven: null, canvasSubmission: { newSubmission: true, submissionType: 'basic_lti_launch' } });
    }

    // The learner's evidence: every mapping to this unit accepted.
    await tool.getByRole('button', { name: `Assess E1: ${learnerItem.draft.title}` }).click();
    await waitForHeading(frame, tool, `Evidence E1: ${learnerItem.draft.title}`, { timeoutMs: UI_WAIT_MS, toolLog });
    const accepts = tool.getByRole('radio', { name: 'Accept', exact: true });
    expect(await accepts.count()).toBe(itemRefs.length);
    for (let index = 0; index < itemRefs.length; index += 1) await accepts.nth(index).check();
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-judge-${mode}-${backend}`));
    await tool.getByRole('button', { name: 'Save decisions' }).click();
    await tool.getByText('Decisions saved.').waitFor({ timeout: UI_WAIT_MS });
    await tool.getByRole('button', { name: 'Back to Priya Patel' }).click();
    await waitForHeading(frame, tool, 'Priya Patel', { timeoutMs: UI_WAIT_MS, toolLog });

    // Every statement is met now; only the report stands between the assessor and the signature.
    await expect.poll(async () => refsIn(await blockingLines(tool)).size, { timeout: UI_WAIT_MS }).toBe(0);
    expect((await blockingLines(tool)).some((line) => line.startsWith('Assessment report'))).toBe(true);
    await tool.getByText('Next step: Complete the assessment report').waitFor({ timeout: UI_WAIT_MS });
    const report = tool.getByRole('form', { name: 'Assessment report' });
    for (const [index, question] of ASSESSMENT_REPORT_CHECKS.entries()) {
      // The first three ask whether more evidence is needed; the rest whether it is met and sound.
      await report.getByRole('group', { name: question }).getByRole('radio', { name: index < 3 ? 'No' : 'Yes' }).check();
    }
    await report.getByLabel('Comments').fill('Competent: every statement met by the candidate’s account and my observation.');
    await report.getByRole('group', { name: 'Outcome' }).getByRole('radio', { name: 'Competent', exact: true }).check();
    await report.getByRole('button', { name: 'Save the report' }).click();
    await tool.getByText('Report saved.').waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => signOffButton.isEnabled(), { timeout: UI_WAIT_MS }).toBe(true);
    expect(await blockingLines(tool)).toEqual([]);
    await tool.getByText('Next step: Ready for sign-off').waitFor({ timeout: UI_WAIT_MS });
    await tool.getByRole('button', { name: 'Sign off the unit' }).scrollIntoViewIfNeeded();
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-report-sign-off-${mode}-${backend}`));

    // The signature, then the grade on its way through the job queue: the LMS gets it, and the
    // screen follows it until it says so.
    const signOff = tool.getByRole('region', { name: 'Sign-off' });
    await signOff.getByLabel(ASSESSOR_UNIT_DECLARATION).check();
    await signOffButton.click();
    // The sign-off asks once, in words that say it is final.
    const confirmSignOff = tool.getByRole('alertdialog', { name: 'Sign off this unit?' });
    await confirmSignOff.waitFor({ timeout: UI_WAIT_MS });
    expect(await confirmSignOff.textContent()).toContain('Your signature is final');
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `assessor-confirm-sign-off-${mode}-${backend}`));
    await tool.getByRole('button', { name: 'Yes, sign off the unit' }).click();
    const signedAt = Date.now();
    await signOff.getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
    const { entry } = await waitForGradebookEntry({ emulator, courseId: course.id, userId: learner.id, lineItemId: link.lineItemId ?? '', isDone: (e) => e.gradingProgress === 'FullyGraded', what: 'the unit’s completion', explain });
    console.log(`[assessor sign-off, ${mode}, ${backend}] completion in the LMS gradebook ${Date.now() - signedAt} ms after the click on “Yes, sign off the unit”`);
    await expect.poll(() => signOff.getByRole('status').first().textContent(), { timeout: UI_WAIT_MS, interval: 500 }).toMatch(/^Gradebook: sent, unit completed/);

    // The LMS: full marks, completed, fully graded (Canvas: on the submission SpeedGrader launches).
    expect(entry).toMatchObject({ scoreGiven: scoreMaximum, scoreMaximum, grade: scoreMaximum, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
    expect(entry.comment).toContain('signed off');
    if (mode === 'moodle') {
      expect(entry).toMatchObject({ acceptedScores: 1, canvasSubmission: null });
    } else {
      expect(entry).toMatchObject({ acceptedScores: 2, canvasSubmission: { newSubmission: false, submissionType: 'basic_lti_launch' } });
      const launchUrl = new URL(entry.canvasSubmission?.submissionData ?? '');
      expect(`${launchUrl.origin}${launchUrl.pathname}`).toBe(`${toolServer.url}/lti/launch`);
      expect(Object.fromEntries(launchUrl.searchParams)).toEqual({ attest_unit: unit.id, attest_learner: learner.id });
    }
    const row = await gradebookRow(page, emulator.gradebookPageUrl(course.id), learner.id, `gradebook-sign-off-${mode}-${backend}`);
    expect(row).toContain(String(scoreMaximum));
    expect(row).toContain('Completed');
    expect(row).toContain('FullyGraded');
    if (mode === 'canvas') expect(row).toContain(`${toolServer.url}/lti/launch?`);

    // The unit's history, collapsed until opened, tells what was done in plain words.
    const history = tool.getByRole('region', { name: 'History' });
    await history.getByText('Who did what, and when').click();
    const historyText = () => history.getByRole('list').textContent({ timeout: UI_WAIT_MS });
    await expect.poll(historyText, { timeout: UI_WAIT_MS }).toMatch(/Priya Patel submitted evidence .+Alex Assessor signed the unit off .+Attest sent the unit’s score to the gradebook/);

    // Back on the caseload, the learner is signed off with the grade sent.
    await tool.getByRole('button', { name: 'Back to the caseload' }).click();
    const card = tool.getByRole('listitem').filter({ has: tool.getByRole('heading', { name: 'Priya Patel' }) });
    await expect.poll(() => card.textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toMatch(/StateSigned off/);
    expect(await card.textContent()).toMatch(/Gradebook: sent, unit completed/);
  });
});

/** The learner's row of the emulator's gradebook page, as a teacher would read it. */
async function gradebookRow(page: Page, url: string, userId: string, screenshot: string): Promise<string> {
  const gradebook = await page.context().newPage();
  await gradebook.goto(url);
  const text = (await gradebook.locator(`#gradebook tr[data-user-id="${userId}"]`).textContent()) ?? '';
  if (env.isScreenshotting) await gradebook.screenshot({ path: `/tmp/attest-e2e-${screenshot}.png`, fullPage: true });
  await gradebook.close();
  return text;
}
