import { createHash } from 'node:crypto';
import { encodePng } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 12: an upload that loses its connection half-way resumes where the server's bytes
// stopped. The browser's first PATCH reaches the tool with only its first half (as when a phone
// walks out of signal mid-request: the server keeps what arrived) and the browser sees the
// connection reset; the learner is told, the client asks the server where it got to and sends
// only the rest. The evidence ends with one file whose bytes are the photo's.

const unit201 = getUnit('nvq2-cs-201');
const browser = useBrowser();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(['moodle', 'canvas'] as const)('an upload cut half-way (%s)', (mode) => {
  const lms = useBrowserStack(browser, { mode, backend: 'pglite', viewport: { width: 375, height: 700 } });

  it('resumes from the bytes the server kept and stores the file once, with the right bytes', { timeout: 300_000 }, async () => {
    const course = lms.createCourse({ learners: ['Rhys Resume'], units: [unit201] });
    const [learner] = course.learners;
    const [link] = course.links;
    const page = await lms.newPage();
    const { frame, tool } = await openCoursePage(page, course.pageUrl(learner, link));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit201.title);

    // A photo of about 2.5 MB: noise (xorshift), which deflate cannot shrink, as a camera's sensor gives.
    let seed = 0x2545f491;
    const noise = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) & 0xff;
    };
    const photo = encodePng({ width: 960, height: 860, pixel: () => [noise(), noise(), noise()] });
    const half = Math.floor(photo.length / 2);

    const patches: Array<{ offset: number; bytes: number }> = [];
    let isCut = false;
    // The launch token, as the upload sent it: the address bar no longer holds it (decision 5).
    let bearer = '';
    const resumingNotice = tool.getByText(`Connection back: carrying on from ${Math.round((half / photo.length) * 100)}%, not from the start.`);
    await lms.context.route(`${lms.tool.url}/api/uploads/*`, async (route: Route) => {
      const request = route.request();
      if (request.method() !== 'PATCH') return route.continue();
      const body = request.postDataBuffer() ?? Buffer.alloc(0);
      const offset = Number(request.headers()['upload-offset']);
      bearer = request.headers()['authorization'] ?? '';
      patches.push({ offset, bytes: body.length });
      if (!isCut) {
        isCut = true;
        // Half the body reaches the tool; the browser's connection is reset.
        const reached = await route.fetch({ postData: body.subarray(0, half) });
        expect(reached.status()).toBe(204);
        return route.abort('connectionreset');
      }
      // The learner is told the upload carries on from where it stopped, not from the start.
      await resumingNotice.waitFor({ timeout: UI_WAIT_MS });
      return route.continue();
    });

    try {
      await tool.getByRole('button', { name: 'Add evidence' }).click();
      const fileInput = tool.getByLabel('Add files');
      await expect.poll(() => fileInput.isEnabled(), { timeout: UI_WAIT_MS }).toBe(true);
      await fileInput.setInputFiles({ name: 'stock-room.png', mimeType: 'image/png', buffer: photo });
      await tool.getByRole('button', { name: 'Download stock-room.png' }).waitFor({ timeout: UI_WAIT_MS });
    } catch (error) {
      // What the learner saw, for the failure's report.
      console.log(`upload requests: ${JSON.stringify(patches)}; on screen: ${JSON.stringify(await tool.locator('.upload, [role=alert], [role=status]').allTextContents())}`);
      throw error;
    } finally {
      await lms.context.unrouteAll({ behavior: 'ignoreErrors' });
    }

    console.log(`upload cut after ${half} of ${photo.length} bytes (${mode}); PATCHes: ${patches.map((p) => `${p.bytes} bytes from ${p.offset}`).join(', ')}`);
    // Two requests: the whole file from 0 (cut at half), then only the rest, from where the server stopped.
    expect(patches).toEqual([
      { offset: 0, bytes: photo.length },
      { offset: half, bytes: photo.length - half },
    ]);

    // One file on the evidence, and its bytes are the photo's (the server's SHA-256 and a download).
    const heading = await tool.getByRole('heading', { level: 1 }).textContent();
    expect(heading).toBe('Evidence E1: stock-room');
    const portfolio = (await (await fetch(`${lms.tool.url}/api/portfolio`, { headers: { authorization: bearer } })).json()) as { items: Array<{ id: string; files: Array<{ id: string; sha256: string; size: number }> }> };
    expect(portfolio.items).toHaveLength(1);
    const [item] = portfolio.items;
    expect(item!.files.map((file) => ({ size: file.size, sha256: file.sha256 }))).toEqual([{ size: photo.length, sha256: sha256(photo) }]);
    const download = Buffer.from(await (await fetch(`${lms.tool.url}/api/evidence/${item!.id}/files/${item!.files[0]!.id}`, { headers: { authorization: bearer } })).arrayBuffer());
    expect(sha256(download)).toBe(sha256(photo));
    expect(await tool.getByRole('list', { name: 'Files of this evidence' }).getByRole('listitem').count()).toBe(1);

    const report = await checkScreen(page, frame, ltiFrameSelector, `resumable-upload-${mode}`);
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);
  });
});
