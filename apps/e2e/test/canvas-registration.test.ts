import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Attest on the emulated Canvas as a Canvas administrator meets it (emulator rules in
// packages/platform-emulator/src/canvas, each citing canvas-lms): Dynamic Registration framed by the
// admin page on the college's own Canvas while the configuration URL is on the issuer's host, the
// review step reached only through the close message, deep linking from the placements Attest named,
// and a second install in another course (a new deployment) waiting for an Attest administrator
// (docs/decisions/0013-canvas-deployments.md).

const unit = getUnit('nvq2-cs-205');

const browser = useBrowser();

describe.each(backends)('Canvas registration, placements and installs on %s', (backend) => {
  // The LMS has never heard of the tool: each test registers it as its subject needs.
  const lms = useBrowserStack(browser, { mode: 'canvas', backend, isToolRegistered: false });

  it('registers through Canvas’s admin page: the close message reaches the framing page, which moves to review, and the tool is enabled', async () => {
    const { emulator, tool } = lms;
    const known = new Set(emulator.listTools().map((t) => t.clientId));
    const start = emulator.startDynamicRegistration(`${tool.url}/lti/register`);
    // Canvas hands the tool a configuration URL on the issuer's host, not the admin page's origin.
    expect(new URL(start.openidConfigurationUrl).origin).not.toBe(new URL(start.pageUrl).origin);
    const page = await lms.newPage();
    // Record what the admin page receives, independently of how the emulator page reacts to it.
    await page.addInitScript(() => {
      if (window.top !== window) return;
      const stored = sessionStorage.getItem('ltiMessages');
      const received: unknown[] = stored ? (JSON.parse(stored) as unknown[]) : [];
      window.addEventListener('message', (event) => {
        received.push({ data: event.data, origin: event.origin });
        sessionStorage.setItem('ltiMessages', JSON.stringify(received));
      });
    });
    await page.goto(start.pageUrl);
    // The page reloads into its review step only once it has the tool's close message.
    await page.locator('#status[data-state="review"]').waitFor({ timeout: UI_WAIT_MS });
    const messages = await page.evaluate(() => JSON.parse(sessionStorage.getItem('ltiMessages') ?? '[]') as unknown[]);
    expect(messages).toContainEqual({ data: { subject: 'org.imsglobal.lti.close' }, origin: new URL(tool.url).origin });
    expect(await page.locator('#placements li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-placement')} ${item.getAttribute('data-message-type')}`))).toEqual([
      'assignment_selection LtiDeepLinkingRequest',
      'link_selection LtiDeepLinkingRequest',
      'course_navigation LtiResourceLinkRequest',
    ]);
    await page.screenshot({ path: `/tmp/attest-e2e-canvas-review-${backend}.png` });
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.locator('#status[data-state="installed"]').waitFor({ timeout: UI_WAIT_MS });

    const registration = emulator.listTools().find((t) => !known.has(t.clientId));
    if (!registration) throw new Error('no registration');
    expect(registration).toMatchObject({ registeredBy: 'dynamic', active: true });
    // The deployment Canvas returned at the top level, and the college's Canvas site (the framing
    // page's origin, not the configuration's) as where it frames Attest; inactive until approved.
    expect(await tool.lti.platforms.find(emulator.issuer, registration.clientId)).toMatchObject({
      isActive: false,
      deploymentIds: [registration.deploymentId],
      frameOrigins: [new URL(emulator.url).origin],
      name: `canvas at ${new URL(emulator.url).host}`,
    });
  });

  it('deep-links a unit from assignment selection with its line item, and waits for approval of a second install in another course before launching it', async () => {
    const { emulator, tool } = lms;
    // Registered the quick way (fetch, no framing page): the administrator names the Canvas site.
    const registration = await emulator.registerToolDynamically(`${tool.url}/lti/register`);
    await tool.lti.platforms.addFrameOrigin(emulator.issuer, registration.clientId, emulator.url);
    await tool.lti.platforms.setActive(emulator.issuer, registration.clientId, true);

    // Assignment selection: the instructor picks the unit in Attest's framed picker.
    const { course, assessors: [instructor] } = lms.createCourse({ assessors: ['Alex Assessor'], clientId: registration.clientId });
    const page = await lms.newPage();
    const { tool: picker } = await openCoursePage(page, emulator.coursePageUrl({ courseId: course.id, userId: instructor.id, deepLinkingClientId: registration.clientId }));
    const checkbox = picker.getByRole('checkbox', { name: new RegExp(unit.title) });
    await checkbox.waitFor({ timeout: UI_WAIT_MS });
    await checkbox.check();
    await picker.getByRole('button', { name: 'Add selected units' }).click();
    await expect.poll(() => picker.locator('#deep-linking-result').getAttribute('data-placed', { timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe('1');
    const [placed] = emulator.getResourceLinks(course.id);
    expect(emulator.getLineItems(course.id).map((item) => ({ label: item.label, resourceId: item.resourceId, resourceLinkId: item.resourceLinkId }))).toEqual([
      { label: unit.title, resourceId: unit.id, resourceLinkId: placed?.id },
    ]);

    // A teacher installs Attest in another course: Canvas makes a new deployment for it.
    const other = lms.createCourse({ title: 'Customer Service Level 2 (evening)', learners: ['Lee Learner'], units: [unit], clientId: registration.clientId });
    const install = emulator.installTool(registration.clientId, { type: 'course', courseId: other.course.id });
    expect(install.deploymentId).not.toBe(registration.deploymentId);
    const coursePage = other.pageUrl(other.learners[0], other.links[0]);
    const waiting = await openCoursePage(page, coursePage);
    await waiting.tool.getByText('Attest has just been added to this part of your LMS', { exact: false }).waitFor({ timeout: UI_WAIT_MS });
    await waiting.tool.getByText(install.deploymentId, { exact: false }).waitFor({ timeout: UI_WAIT_MS });
    await page.screenshot({ path: `/tmp/attest-e2e-canvas-deployment-waiting-${backend}.png` });
    const summary = await tool.lti.platforms.get(emulator.issuer, registration.clientId);
    expect(summary.pendingDeployments).toEqual([expect.objectContaining({ deploymentId: install.deploymentId, contextTitle: 'Customer Service Level 2 (evening)' })]);

    // The Attest administrator approves it (register-platform add-deployment); the launch opens.
    await tool.lti.platforms.addDeployment(emulator.issuer, registration.clientId, install.deploymentId);
    const launched = await openCoursePage(page, coursePage);
    await expect.poll(() => launched.tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit.title);
  });
});
