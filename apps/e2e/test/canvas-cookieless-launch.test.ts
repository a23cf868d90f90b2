import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack, useServer } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Cookie-less launches (decision 14). In a browser that keeps none of the tool's cookies inside the
// LMS's frame, not even partitioned ones (as Safari), a launch from the emulated Canvas succeeds
// through LTI platform storage: the login page stores state and nonce in Canvas's window by
// postMessage, the launch page reads them back. A Moodle launch, where no platform storage is
// offered, still goes through the partitioned cookie in the suites' usual browser.

const unit = getUnit('nvq2-cs-201');

/** What the tool's /lti/login and /lti/launch answered, and whether any request to the tool carried a cookie. */
function watchToolTraffic(page: Page, toolUrl: string) {
  const answers: { path: string; method: string; status: number }[] = [];
  const cookieHeaders: Promise<string | null>[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === toolUrl && url.pathname.startsWith('/lti/')) answers.push({ path: url.pathname, method: response.request().method(), status: response.status() });
  });
  page.on('request', (request: Request) => {
    if (!request.url().startsWith(toolUrl)) return;
    const cookieHeader = request.headerValue('cookie');
    // A request the page starts as the test closes it can no longer be read; marking the promise
    // handled keeps that from being an unhandled rejection, while cookiesSent() still awaits (and
    // fails on) every request made before the test asks.
    cookieHeader.catch(() => undefined);
    cookieHeaders.push(cookieHeader);
  });
  return { answers, cookiesSent: async () => (await Promise.all(cookieHeaders)).filter((value): value is string => value !== null && value !== '') };
}

/** A course with one learner and the unit placed, opened as that learner with the tool's traffic watched. */
async function launchAsNewLearner(lms: ReturnType<typeof useBrowserStack>, name: string) {
  const course = lms.createCourse({ learners: [name], units: [unit] });
  const page = await lms.newPage();
  const traffic = watchToolTraffic(page, lms.tool.url);
  const opened = await openCoursePage(page, course.pageUrl(course.learners[0], course.links[0]));
  return { page, traffic, ...opened };
}

describe('with the tool’s cookies fully blocked in the LMS frame', () => {
  const browser = useBrowser({ blockCookies: { of: 'localhost', framedBy: '127.0.0.1' } });

  describe('the browser itself', () => {
    const toolSite = useServer('localhost', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...(req.url === '/set' ? { 'Set-Cookie': ['unpartitioned=1; SameSite=None; Secure; Path=/', 'partitioned=1; SameSite=None; Secure; Partitioned; Path=/'] } : {}) });
      res.end(req.url === '/set' ? '<!doctype html><title>probe</title><script>location.replace("/echo")</script>' : `<!doctype html><title>probe</title><pre id="cookies">${req.headers.cookie ?? '(none)'}</pre>`);
    });
    const lmsSite = useServer('127.0.0.1', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>lms</title><iframe title="tool" src="http://localhost:${toolSite.port}/set"></iframe>`);
    });

    it('sends no cookie back to the cross-site frame, partitioned or not', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${lmsSite.port}/`);
      expect(await page.frameLocator('iframe[title="tool"]').locator('#cookies').textContent({ timeout: UI_WAIT_MS })).toBe('(none)');
    });
  });

  describe.each(backends)('a learner launch from canvas on %s', (backend) => {
    const lms = useBrowserStack(browser, { mode: 'canvas', backend });

    it('opens the unit through platform storage, sending the tool no cookie, and leaves nothing in Canvas’s storage', async () => {
      const { page, traffic, tool, frame } = await launchAsNewLearner(lms, 'Lee Learner');

      const heading = await tool.getByRole('heading', { level: 1 }).filter({ hasText: unit.title }).waitFor({ timeout: UI_WAIT_MS }).then(
        () => unit.title,
        async () => `no unit heading; the frame shows ${frame.url()}: ${await frame.locator('body').innerText().catch(() => '?')}; tool answers ${JSON.stringify(traffic.answers)}; tool log ${lms.toolLog.join(' | ')}`,
      );
      expect(heading).toBe(unit.title);
      expect(await traffic.cookiesSent(), lms.toolLog.join('\n')).toEqual([]);
      // The login answered with the storage page; the launch first with the page that reads it
      // back, then, posted again from the tool's own origin, with the redirect into the app.
      expect(traffic.answers).toEqual([
        { path: '/lti/login', method: 'POST', status: 200 },
        { path: '/lti/launch', method: 'POST', status: 200 },
        { path: '/lti/launch', method: 'POST', status: 303 },
      ]);
      // The values were read once and cleared: Canvas keeps nothing of this login for the tool.
      await expect.poll(() => page.evaluate(() => Object.keys(window.localStorage).filter((key) => key.includes('|attest-'))), { timeout: UI_WAIT_MS }).toEqual([]);
    });
  });
});

describe('in the suites’ usual browser (partitioned cookies kept)', () => {
  const browser = useBrowser();
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: backends[0] });

  it('a Moodle launch, offered no platform storage, goes through the partitioned cookie as before', async () => {
    const { traffic, tool } = await launchAsNewLearner(lms, 'Mo Learner');

    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit.title);
    expect(traffic.answers).toEqual([
      { path: '/lti/login', method: 'POST', status: 302 },
      { path: '/lti/launch', method: 'POST', status: 303 },
    ]);
    expect((await traffic.cookiesSent()).some((cookie) => /(^|;\s*)lti_nonce_[0-9a-f]+=/.test(cookie))).toBe(true);
  });
});
