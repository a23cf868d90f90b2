import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 12: the learner's view stays light on a phone: the JavaScript the browser fetches from the
// tool before the learner's unit and its next steps are on screen is at most 150 KB gzipped. Measured
// from the bytes the browser received, each script gzipped as a server would send it.

const unit201 = getUnit('nvq2-cs-201');
const budgetBytes = 150 * 1024;
const browser = useBrowser();

describe('the learner’s first view', () => {
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: 'pglite', viewport: { width: 375, height: 700 } });

  it('fetches at most 150 KB of gzipped JavaScript before the unit and its next steps show', { timeout: 300_000 }, async () => {
    const course = lms.createCourse({ learners: ['Lea Light'], units: [unit201] });
    const [learner] = course.learners;
    const [link] = course.links;
    const page = await lms.newPage();
    const scripts = new Map<string, Promise<number>>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin !== lms.tool.url || !/javascript/.test(response.headers()['content-type'] ?? '')) return;
      scripts.set(url.pathname, response.body().then((body) => gzipSync(body, { level: 9 }).length, () => 0));
    });
    const { tool } = await openCoursePage(page, course.pageUrl(learner, link));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit201.title);
    await tool.getByRole('heading', { name: 'What to do next' }).waitFor({ timeout: UI_WAIT_MS });
    const sizes = await Promise.all([...scripts.entries()].map(async ([path, size]) => ({ path, gzipped: await size })));
    const total = sizes.reduce((sum, script) => sum + script.gzipped, 0);
    console.log(`the learner's first view fetched ${sizes.length} scripts, ${(total / 1024).toFixed(1)} KB gzipped: ${sizes.map((s) => `${s.path.split('/').pop()} ${(s.gzipped / 1024).toFixed(1)} KB`).join(', ')}`);
    expect(sizes.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budgetBytes);
  });
});
