import { encodePng } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import { RESUMABLE_UPLOADS_PATH } from '@attest/contracts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit201 = getUnit('nvq2-cs-201');
// The photo kind's limit in packages/evidence-files (evidence-file-kinds.ts), stated here as the
// behaviour under test rather than read back from the code that implements it.
const photoLimit = 25 * 1024 * 1024;

/** A JPEG's start-of-image and JFIF markers, padded to `size` bytes: the browser's check reads only the size. */
function jpegOfSize(size: number): Buffer {
  const photo = Buffer.alloc(size, 0);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(photo);
  return photo;
}

const browser = useBrowser();

// The refusal happens in the browser, before the tool's database is involved, so one backend shows it.
describe('upload limits in the learner’s browser', () => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: 'pglite' });

  it('refuses a photo one byte over the photo limit before sending it, says why beside the input, and still uploads one within the limit', { timeout: 300_000 }, async () => {
    const course = lms.createCourse({ learners: ['Uma Uploader'], units: [unit201] });
    const [learner] = course.learners;
    const [link] = course.links;
    const page = await lms.newPage();
    // Every request that would carry a file to the tool, from any frame of the page.
    const uploads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      // A file starts as a resumable upload (POST /api/uploads), or as one request to the item's files.
      if (url.origin === lms.tool.url && request.method() === 'POST' && (url.pathname === RESUMABLE_UPLOADS_PATH || /\/files$/.test(url.pathname))) uploads.push(url.pathname);
    });

    const { tool } = await openCoursePage(page, course.pageUrl(learner, link));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS })).toBe(unit201.title);
    await tool.getByRole('button', { name: 'Add evidence' }).click();
    await tool.getByLabel('Title').fill('Photo of the till display');
    await tool.getByLabel('Evidence type').selectOption({ label: 'Photo' });
    await expect.poll(() => tool.locator('.save-status').textContent(), { timeout: UI_WAIT_MS }).toBe('Saved');

    // The picker offers the photo kind's types only, and its hint states the photo limit.
    const fileInput = tool.getByLabel('Add files');
    await expect.poll(() => fileInput.getAttribute('accept'), { timeout: UI_WAIT_MS }).toContain('image/jpeg');
    expect((await fileInput.getAttribute('accept'))?.split(',')).not.toContain('.pdf');
    await tool.getByText('A photo can be at most 25 MB per file', { exact: false }).waitFor({ timeout: UI_WAIT_MS });
    await expect.poll(() => fileInput.isEnabled()).toBe(true);

    await fileInput.setInputFiles({ name: 'whole-shop-floor.jpg', mimeType: 'image/jpeg', buffer: jpegOfSize(photoLimit + 1) });
    const refusal = tool.getByRole('alert').filter({ hasText: 'whole-shop-floor.jpg is larger than 25 MB, the most a photo can be.' });
    await refusal.waitFor({ timeout: UI_WAIT_MS });
    // The message is part of the input's description, so a screen reader reads it with the input.
    const describedBy = (await fileInput.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(describedBy).toContain(await refusal.getAttribute('id'));
    expect(await tool.getByRole('progressbar').count()).toBe(0);
    expect(await tool.getByRole('list', { name: 'Files of this evidence' }).count()).toBe(0);
    expect(uploads).toEqual([]);

    // The same input still uploads a photo within the limit, and the counter above sees that request.
    const small = encodePng({ width: 8, height: 8, pixel: () => [200, 120, 40] });
    await fileInput.setInputFiles({ name: 'till-display.png', mimeType: 'image/png', buffer: small });
    await tool.getByRole('button', { name: 'Download till-display.png' }).waitFor({ timeout: UI_WAIT_MS });
    expect(uploads).toHaveLength(1);
    expect(await refusal.count()).toBe(0);
  });
});
