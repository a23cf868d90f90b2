import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit = getUnit('nvq2-cs-201');
const statements = unit.groups.flatMap((group) => group.statements);

const browser = useBrowser();

const modes = ['moodle', 'canvas'] as const;
const cases = modes.flatMap((mode) => backends.map((backend) => [mode, backend] as const));

describe.each(cases)('a learner launch from %s on %s', (mode, backend) => {
  const lms = useBrowserStack(browser, { mode, backend });

  it('shows the unit title and its statements inside the cross-site LMS frame, with third-party cookies blocked', async () => {
    const { emulator, tool: toolServer } = lms;
    const course = lms.createCourse({ learners: ['Lee Learner'], units: [unit] });
    const [learner] = course.learners;
    const [link] = course.links;

    const page = await lms.newPage();
    const toolCookies: Promise<string[]>[] = [];
    const appPolicies: Promise<string | null>[] = [];
    // Every frame records what its policy blocks (a securitypolicyviolation event), from the start.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { policyViolations: string[] }).policyViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    page.on('response', (response) => {
      if (response.url().startsWith(`${toolServer.url}/app/?ltik=`)) appPolicies.push(response.headerValue('content-security-policy'));
      if (response.url().startsWith(toolServer.url)) toolCookies.push(response.headersArray().then((headers) => headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value)));
    });
    const { frame, tool } = await openCoursePage(page, course.pageUrl(learner, link));

    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit.title);
    expect(new URL(frame.url()).origin).toBe(toolServer.url);
    for (const statement of [statements[0], statements[statements.length - 1]]) {
      await tool.getByText(statement?.text ?? '(no statement)', { exact: false }).first().waitFor({ timeout: UI_WAIT_MS });
    }
    // The launch's only cookie (the OIDC state) is partitioned, so blocking third-party cookies
    // cannot break it; an unpartitioned one would be dropped by this browser (third-party-cookies.test.ts).
    const setCookies = (await Promise.all(toolCookies)).flat();
    expect(setCookies.length).toBeGreaterThan(0);
    for (const cookie of setCookies) expect(cookie, cookie).toMatch(/;\s*Partitioned/i);

    // The ltik is taken out of the address bar once read (decision 5).
    expect(new URL(frame.url()).searchParams.has('ltik')).toBe(false);
    expect(await frame.evaluate(() => window.location.href)).not.toContain('ltik');
    // The page that received it came with the strict policy, framed by this LMS's site only, and
    // loaded under it (the heading above is rendered by the app's script from 'self').
    const policies = await Promise.all(appPolicies);
    expect(policies).toHaveLength(1);
    expect(policies[0]).toContain("script-src 'self'");
    expect(policies[0]).toContain(`frame-ancestors ${new URL(emulator.url).origin}`);
    // Nothing the app needs was blocked: the build has no inline script or style, nothing evaluated.
    expect(await frame.evaluate(() => (window as unknown as { policyViolations?: string[] }).policyViolations)).toEqual([]);

    const report = await checkScreen(page, frame, ltiFrameSelector, `learner-unit-${mode}-${backend}`);
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);
  });
});
