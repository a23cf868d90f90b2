import { encodePng } from '@attest/demo';
import type { FrameLocator, Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkScreen, type ScreenReport } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { findToolFrame, ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { throttleUploads } from '../src/throttle-uploads.ts';
import { watchProgress, type ProgressSample } from '../src/watch-progress.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit201 = getUnit('nvq2-cs-201');
const unit202 = getUnit('nvq2-cs-202');
const unitName = (unit: { codes: readonly string[]; title: string }) => `Unit ${unit.codes.join(' / ')}: ${unit.title}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A mapping checkbox is named `<ref> <statement text>`. */
const statementBox = (group: Locator, ref: string) => group.getByRole('checkbox', { name: new RegExp(`^${escape(ref)} `) });

// A phone photo of a receipt-sized size, stored uncompressed so the file is 1.2 MB: at the
// throttled 200 kB/s the upload takes about six seconds, long enough to see the bar part-way.
const photoName = 'returns-desk-display.png';
const photo = encodePng({ width: 640, height: 640, compression: 0, pixel: (x, y) => [(x * 5) % 256, (y * 3) % 256, ((x + y) * 7) % 256] });
const uploadBytesPerSecond = 200 * 1024;
const evidenceTitle = 'Returns desk display I set up for a customer';

function expectClean(report: ScreenReport): void {
  expect(report.violations, report.violations.join('\n')).toEqual([]);
  expect(report.overflowAt375).toBe(0);
}

/** The number in "<n> requirements are still missing." (0 for "Nothing is missing"). */
async function missingCount(region: Locator): Promise<number> {
  const text = (await region.getByRole('status').first().textContent({ timeout: UI_WAIT_MS })) ?? '';
  if (text.startsWith('Nothing is missing')) return 0;
  const count = /^(\d+) requirements? (?:is|are) still missing/.exec(text.trim());
  if (!count) throw new Error(`Unexpected missing-list status: "${text}"`);
  return Number(count[1]);
}

const browser = useBrowser();

// Each backend once and each emulator mode once (issue 12 asks for both modes), in two runs.
const runs = backends.map((backend, index) => ({ backend, mode: index % 2 === 0 ? ('moodle' as const) : ('canvas' as const) }));

describe.each(runs)('a learner builds their portfolio on $backend, in $mode', ({ backend, mode }) => {
  const lms = useBrowserStack(browser, { mode, backend });

  it('adds evidence with a file, maps it to two units, sees the missing list shrink, submits it, and finds it submitted after a reload', { timeout: 600_000 }, async () => {
    const course = lms.createCourse({ learners: ['Lee Learner'], units: [unit201, unit202] });
    const [learner] = course.learners;
    const [link201, link202] = course.links;
    const page = await lms.newPage();
    // Which of the tool's scripts the frame fetched: the evidence form is meant to load on demand.
    const scripts: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === lms.tool.url && url.pathname.endsWith('.js')) scripts.push(url.pathname.split('/').pop() ?? '');
    });
    const hasEditorScript = () => scripts.some((name) => name.startsWith('evidence-editor-'));
    const coursePage = (link: typeof link201) => course.pageUrl(learner, link);
    const waitForUnit = (tool: FrameLocator, title: string) => expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(title);

    // The learner has opened both activities of the course, so the tool knows both units are theirs.
    const other = await openCoursePage(page, coursePage(link202));
    await waitForUnit(other.tool, unit202.title);
    const missingIn202Before = await missingCount(other.tool.getByRole('region', { name: 'What is still missing' }));
    // Unit 202's form misprints its statement 202.3.5 as 203.3.5 (the unit's errata record it): the
    // page, its missing list included, names the corrected ref and says once what the form prints.
    const text202 = await other.tool.locator('body').innerText({ timeout: UI_WAIT_MS });
    expect(text202).toMatch(/202\.3\.5\s+refer your customer to others/);
    expect(text202).toContain('Standard 202.3.5');
    expect(text202.split('the awarding body’s form prints the number 203.3.5').length - 1).toBe(1);
    expect(text202.replace('the awarding body’s form prints the number 203.3.5', '')).not.toContain('203.3.5');
    // Its recording form's requirement columns 1–6 have no wording in the seeds: they are named once,
    // never listed as "Not met" (decision 0025).
    expect(text202).toContain('The unit’s recording form also has columns 1, 2, 3, 4.a, 4.b, 5.a, 5.b, 5.c, 5.d, 6 for evidence requirements.');
    expect(text202).not.toContain('no wording is given');

    const { frame, tool } = await openCoursePage(page, coursePage(link201));
    await waitForUnit(tool, unit201.title);
    const overviewMissing = tool.getByRole('region', { name: 'What is still missing' });
    const before = await missingCount(overviewMissing);
    expect(before).toBeGreaterThanOrEqual(unit201.groups.flatMap((group) => group.statements).length);
    await tool.getByText('No evidence yet.').waitFor();
    // The next step of a fresh learner names statements with their words, not codes alone.
    const nextSteps = tool.getByRole('region', { name: 'What to do next' });
    const firstStep = unit201.groups[0]?.statements[0];
    expect(await nextSteps.getByRole('listitem').first().textContent({ timeout: UI_WAIT_MS })).toContain(`Add evidence for Standard ${firstStep?.ref} “${firstStep?.text}”`);
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `learner-portfolio-overview-${backend}`));

    // The evidence form: the first valid save creates the item, and its heading takes the E-number.
    expect(hasEditorScript(), scripts.join(', ')).toBe(false);
    await tool.getByRole('button', { name: 'Add evidence' }).click();
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent()).toBe('Add evidence');
    await tool.getByLabel('Title').fill(evidenceTitle);
    expect(hasEditorScript(), scripts.join(', ')).toBe(true);
    await tool.getByLabel('Description or reflective account').fill('A customer could not find the returns policy, so I made a display with the policy, refund times and the extended guarantee leaflets, and checked the details with my team leader first.');
    await tool.getByLabel('Customer (optional)').fill('Mr K, returns desk');
    await tool.getByLabel('Occasion (optional)').fill('Monday before opening');
    await tool.getByLabel('Evidence type').selectOption({ label: 'Photo' });
    await tool.getByRole('radio', { name: 'Real job' }).check();
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent(), { timeout: UI_WAIT_MS }).toBe(`Evidence E1: ${evidenceTitle}`);
    await expect.poll(() => tool.locator('.save-status').textContent(), { timeout: UI_WAIT_MS }).toBe('Saved');
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `learner-portfolio-evidence-form-${backend}`));

    // The upload, throttled in the tool's own (out-of-process) frame so its progress can be seen.
    const fileInput = tool.getByLabel('Add files');
    await expect.poll(() => fileInput.isEnabled()).toBe(true);
    const throttle = await throttleUploads(lms.context, frame, uploadBytesPerSecond);
    const uploading = tool.getByRole('progressbar', { name: `Uploading ${photoName}` });
    const uploadStarted = Date.now();
    await fileInput.setInputFiles({ name: photoName, mimeType: 'image/png', buffer: photo });
    await uploading.waitFor({ state: 'visible', timeout: UI_WAIT_MS });
    // The bar moves: several readings part-way (some bytes sent, not all), each at least the last.
    const isPartWay = (sample: ProgressSample) => sample.value > 0 && sample.value < sample.max;
    const seen = new Set<number>();
    const samples = await watchProgress(uploading, (sample) => (isPartWay(sample) ? seen.add(sample.value).size >= 3 : false), { timeoutMs: UI_WAIT_MS, intervalMs: 250 });
    const partWay = samples.filter(isPartWay).map((sample) => sample.value);
    expect(new Set(partWay).size, JSON.stringify(samples)).toBeGreaterThanOrEqual(3);
    expect(partWay, JSON.stringify(samples)).toEqual([...partWay].sort((a, b) => a - b));
    await tool.getByRole('progressbar', { name: `Uploaded ${photoName}` }).waitFor({ timeout: UI_WAIT_MS });
    const uploadSeconds = (Date.now() - uploadStarted) / 1000;
    await throttle.release();
    // The throttle really held it back: 1.2 MB cannot arrive faster than the rate allows.
    expect(uploadSeconds).toBeGreaterThan((photo.length / uploadBytesPerSecond) * 0.6);
    await tool.getByRole('button', { name: `Download ${photoName}` }).waitFor({ timeout: UI_WAIT_MS });
    // Beside its name, a thumbnail of the learner's own photo: the real picture, decoded (640 px wide).
    const thumbnail = tool.locator('.file-list img.file-thumbnail');
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: UI_WAIT_MS }).toBe(640);

    // Mapping to this unit: the missing list under the mappings shrinks with each tick.
    const previewMissing = tool.getByRole('region', { name: `Still missing in ${unit201.title}` });
    expect(await missingCount(previewMissing)).toBe(before);
    const group201 = tool.getByRole('group', { name: unitName(unit201) });
    const refs201 = ['201.3.1', '201.3.2', '201.1.5'];
    for (const ref of refs201) await statementBox(group201, ref).check();
    await expect.poll(() => missingCount(previewMissing), { timeout: UI_WAIT_MS }).toBe(before - refs201.length);

    // …and to the learner's other unit in the course.
    await tool.getByRole('button', { name: `Show ${unitName(unit202)}` }).click();
    const group202 = tool.getByRole('group', { name: unitName(unit202) });
    // Nothing to tick for a requirement column without wording: every box of unit 202 is a statement.
    await statementBox(group202, '202.1.1').waitFor({ timeout: UI_WAIT_MS });
    const boxes202 = await group202.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''));
    expect(boxes202.length).toBe(unit202.groups.flatMap((group) => group.statements).length);
    expect(boxes202.filter((name) => !/^202\.\d\.\d /.test(name))).toEqual([]);
    const refs202 = ['202.1.1', '202.1.2'];
    for (const ref of refs202) await statementBox(group202, ref).check();
    await tool.getByRole('button', { name: `Hide ${unitName(unit202)} (${refs202.length} mapped)` }).waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => tool.getByText('Mappings saved').count(), { timeout: UI_WAIT_MS }).toBeGreaterThan(0);
    // The confirmation also stands beside the box ticked last, not only below the whole list.
    const lastBox = statementBox(group202, refs202.at(-1)!);
    const besideLast = lastBox.locator('xpath=ancestor::li[1]').locator('.saved-beside');
    await expect.poll(() => besideLast.textContent(), { timeout: UI_WAIT_MS }).toBe('Mappings saved');
    const [boxAt, savedAt] = [await lastBox.boundingBox(), await besideLast.boundingBox()];
    expect(Math.abs((savedAt?.y ?? Infinity) - (boxAt?.y ?? 0))).toBeLessThan(120);
    expect(await tool.locator('.saved-beside').count()).toBe(1);
    // The server's verdict, fetched after the save, agrees with the browser's preview.
    await expect.poll(() => missingCount(previewMissing), { timeout: UI_WAIT_MS }).toBe(before - refs201.length);

    // Submission with the candidate's authenticity declaration.
    await tool.getByLabel('I confirm that the evidence provided is a result of my own work').check();
    await tool.getByRole('button', { name: 'Submit for assessment' }).click();
    await tool.getByText('Submitted for assessment. Your assessor can now review it.').waitFor({ timeout: UI_WAIT_MS });
    await tool.getByRole('button', { name: 'Edit and reopen this evidence' }).waitFor();

    // The item's history: every version is kept, the newest being the submission.
    await tool.getByRole('button', { name: 'Show earlier versions' }).click();
    const versions = tool.getByRole('listitem').filter({ hasText: /^Version \d+: / });
    await expect.poll(() => versions.first().textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toMatch(/^Version \d+: Submitted/);
    expect(await versions.count()).toBeGreaterThan(1);
    expectClean(await checkScreen(page, frame, ltiFrameSelector, `learner-portfolio-history-${backend}`));

    // A new launch (the LMS page reloaded) shows the same evidence, submitted, from the server.
    await page.reload();
    const reloaded = await findToolFrame(page);
    await waitForUnit(reloaded.tool, unit201.title);
    expect(await missingCount(reloaded.tool.getByRole('region', { name: 'What is still missing' }))).toBe(before - refs201.length);
    const card = reloaded.tool.getByRole('listitem').filter({ has: reloaded.tool.getByRole('heading', { name: `E1: ${evidenceTitle}` }) });
    await expect.poll(() => card.textContent({ timeout: UI_WAIT_MS })).toMatch(/Submitted, locked/);
    // Submitted, it is with the assessor: the next steps say so by its label and title.
    expect(await reloaded.tool.getByRole('region', { name: 'What to do next' }).textContent({ timeout: UI_WAIT_MS })).toContain(`Waiting for your assessor to decide on E1 “${evidenceTitle}”.`);
    expect(await card.textContent()).toMatch(/1 file/);
    await reloaded.tool.getByRole('button', { name: `Open E1: ${evidenceTitle}` }).click();
    await reloaded.tool.getByRole('button', { name: 'Edit and reopen this evidence' }).waitFor({ timeout: UI_WAIT_MS });
    await reloaded.tool.getByRole('button', { name: `Download ${photoName}` }).waitFor();
    for (const ref of refs201) expect(await statementBox(reloaded.tool.getByRole('group', { name: unitName(unit201) }), ref).isChecked()).toBe(true);

    // The other unit counts the same evidence: its missing list is shorter by the two statements.
    const otherAgain = await openCoursePage(page, coursePage(link202));
    await waitForUnit(otherAgain.tool, unit202.title);
    expect(await missingCount(otherAgain.tool.getByRole('region', { name: 'What is still missing' }))).toBe(missingIn202Before - refs202.length);
  });
});
