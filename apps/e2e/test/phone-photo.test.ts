import { encodePng } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 12: on a phone at work, a learner adds a photo from the unit in at most three interactions:
// one tap on "Take a photo" opens the camera, the shot saves the new evidence (titled after the
// file, a photo by its type) and uploads it, so nothing waits for a title. Counted on a 375 px wide
// page in both emulator modes.

const unit201 = getUnit('nvq2-cs-201');
const browser = useBrowser();

describe.each(['moodle', 'canvas'] as const)('a photo added from the unit on a phone (%s)', (mode) => {
  const lms = useBrowserStack(browser, { mode, backend: 'pglite', viewport: { width: 375, height: 700 } });

  it('takes at most three interactions, saves the evidence by its first file and shows the photo', { timeout: 300_000 }, async () => {
    const course = lms.createCourse({ learners: ['Pia Phone'], units: [unit201] });
    const [learner] = course.learners;
    const [link] = course.links;
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, course.pageUrl(learner, link));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit201.title);

    // "Take a photo" on the unit page is the camera itself (capture="environment", photo types only).
    const camera = tool.getByLabel('Take a photo');
    expect(await camera.getAttribute('capture')).toBe('environment');
    expect(await camera.getAttribute('accept')).toMatch(/image\/jpeg/);
    expect(await camera.getAttribute('accept')).not.toMatch(/pdf/);
    // setInputFiles stands for two interactions: the tap on "Take a photo" and the shot in the camera.
    let interactions = 0;
    const photo = encodePng({ width: 120, height: 90, pixel: (x, y) => [(x * 2) % 256, (y * 2) % 256, 90] });
    await camera.setInputFiles({ name: 'till-display.png', mimeType: 'image/png', buffer: photo });
    interactions += 2;

    await tool.getByRole('button', { name: 'Download till-display.png' }).waitFor({ timeout: UI_WAIT_MS });
    console.log(`a photo added from the unit in ${interactions} interactions at 375 px (${mode})`);
    expect(interactions).toBeLessThanOrEqual(3);
    // Saved by its first file: titled after it, a photo, and the picture itself shown.
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent(), { timeout: UI_WAIT_MS }).toBe('Evidence E1: till-display');
    expect(await tool.getByLabel('Evidence type').inputValue()).toBe('photo');
    await expect.poll(() => tool.locator('.file-list img.file-thumbnail').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: UI_WAIT_MS }).toBe(120);
    expect(await tool.getByRole('list', { name: 'Files of this evidence' }).getByRole('listitem').count()).toBe(1);

    const report = await checkScreen(page, frame, ltiFrameSelector, `phone-photo-${mode}`);
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);
  });
});
