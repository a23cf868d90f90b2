import { ASSESSOR_UNIT_DECLARATION } from '@attest/contracts';
import { formatDemoUrls } from '@attest/demo';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserContext, useDemo } from '../src/fixtures.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { waitForGradebookEntry } from '../src/wait-for-gradebook-entry.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// What `npm start` prints, opened in a browser: the demo runs on its embedded database only, so
// this file has no PostgreSQL variant. Both suites share the one demo, as its visitors do.
const started = useDemo();
const browser = useBrowser();
const pages = useBrowserContext(browser);

/** The learner URL printed on the line after `name (…)`. */
function printedLearnerUrl(name: string): string {
  const lines = formatDemoUrls(started.demo).split('\n');
  const at = lines.findIndex((line) => line.trimStart().startsWith(`${name} `));
  const url = lines[at + 1]?.trim() ?? '';
  if (at < 0 || !url.startsWith('http')) throw new Error(`No printed URL for ${name}`);
  return url;
}

/** The assessor URL printed for the first activity, after its caseload line. */
function printedAssessorUrl(): { caseloadLine: string; url: string } {
  const lines = formatDemoUrls(started.demo).split('\n');
  const from = lines.findIndex((line) => line.startsWith('launch as assessor'));
  const at = lines.findIndex((line, index) => index > from && line.trimStart().startsWith('caseload: '));
  const url = lines[at + 1]?.trim() ?? '';
  if (from < 0 || at < 0 || !url.startsWith('http')) throw new Error('No printed assessor URL with a caseload line');
  return { caseloadLine: lines[at]?.trim() ?? '', url };
}

async function missingCount(tool: FrameLocator): Promise<number> {
  const text = (await tool.getByRole('region', { name: 'What is still missing' }).getByRole('status').first().textContent({ timeout: UI_WAIT_MS })) ?? '';
  return text.startsWith('Nothing is missing') ? 0 : Number(/^(\d+)/.exec(text)?.[1] ?? Number.NaN);
}

describe('the demo’s printed learner URLs', () => {
  it('open the first learner’s unit with their seeded evidence, a partly filled grid and a shorter missing list than the third learner’s, who has none', async () => {
    const { demo } = started;
    if (!('seeded' in demo.evidence)) throw new Error(`The demo did not seed evidence: ${'error' in demo.evidence ? demo.evidence.error : 'it continued an earlier run’s course'}`);
    const [lee, , sam] = demo.learners;
    const unitTitle = demo.units[0]?.title ?? '';
    const page = await pages.newPage();

    const empty = await openCoursePage(page, printedLearnerUrl(sam?.user.name ?? ''));
    await expect.poll(() => empty.tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unitTitle);
    await empty.tool.getByText('No evidence yet.').waitFor();
    const missingWithout = await missingCount(empty.tool);

    const { frame, tool } = await openCoursePage(page, printedLearnerUrl(lee?.user.name ?? ''));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unitTitle);
    for (const [index, item] of demo.evidence.seeded.items.entries()) await tool.getByRole('button', { name: `Open E${index + 1}: ${item.title}` }).waitFor({ timeout: UI_WAIT_MS });
    const grid = tool.getByRole('region', { name: `Recording form for ${unitTitle}` });
    expect(await grid.getByRole('columnheader', { name: /^E\d/ }).count()).toBe(3);
    expect(await grid.getByText('PE pending').count()).toBeGreaterThan(0);
    expect(await grid.getByText('WT pending').count()).toBeGreaterThan(0);
    const missingWith = await missingCount(tool);
    expect(missingWith).toBeLessThan(missingWithout);
    expect(missingWith).toBeGreaterThan(0);

    const report = await checkScreen(page, frame, ltiFrameSelector, 'demo-learner-with-evidence');
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);
  });
});

describe('the demo’s printed assessor URL', () => {
  it('opens a caseload with the second learner ready for sign-off, whom the assessor can sign off into the gradebook', { timeout: 600_000 }, async () => {
    const { demo } = started;
    if (!('seeded' in demo.readyForSignOff)) throw new Error(`The demo did not make a learner ready for sign-off: ${'error' in demo.readyForSignOff ? demo.readyForSignOff.error : 'it continued an earlier run’s course'}`);
    const [lee, priya] = demo.learners;
    const name = priya?.user.name ?? '';
    const { caseloadLine, url } = printedAssessorUrl();
    expect(caseloadLine).toContain(`${name} is ready for sign-off`);
    const page = await pages.newPage();
    const { frame, tool } = await openCoursePage(page, url);
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(demo.units[0]?.title ?? '');

    const cardOf = (learnerName: string) => tool.getByRole('listitem').filter({ has: tool.getByRole('heading', { name: learnerName, exact: true }) });
    await expect.poll(() => cardOf(name).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toMatch(/StateReady for sign-off/);
    // Lee's submitted items wait for the assessor: the card names that step, never "ready".
    expect(await cardOf(lee?.user.name ?? '').textContent()).toMatch(/State\d+ items? (is|are) waiting for your decision/);
    const report = await checkScreen(page, frame, ltiFrameSelector, 'demo-assessor-caseload');
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);

    // What a visitor does next: open her portfolio, find the gate open, and sign.
    await tool.getByRole('button', { name: `Open portfolio of ${name}` }).click();
    const signOff = tool.getByRole('region', { name: 'Sign-off' });
    const button = signOff.getByRole('button', { name: 'Sign off the unit' });
    await expect.poll(() => button.isEnabled({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(true);
    await signOff.getByLabel(ASSESSOR_UNIT_DECLARATION).check();
    await button.click();
    await signOff.getByRole('button', { name: 'Yes, sign off the unit' }).click();
    await signOff.getByText('Signed off', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
    const link = demo.activities[0];
    const { entry } = await waitForGradebookEntry({ emulator: demo.emulator, courseId: demo.course.id, userId: priya?.user.id ?? '', lineItemId: link?.lineItemId ?? '', isDone: (e) => e.gradingProgress === 'FullyGraded', what: 'the demo learner’s completion' });
    expect(entry).toMatchObject({ activityProgress: 'Completed', scoreGiven: entry.scoreMaximum, acceptedScores: 1 });
  });
});
