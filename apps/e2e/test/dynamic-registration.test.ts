import { describe, expect, it } from 'vitest';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { openCoursePage } from '../src/open-course-page.ts';
import { backends } from '../src/start-stack.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

const unit = getUnit('nvq2-cs-205');

const browser = useBrowser();

describe.each(backends)('dynamic registration on %s', (backend) => {
  // The LMS has never heard of the tool: registering it is what this suite tests.
  const lms = useBrowserStack(browser, { mode: 'moodle', backend, isToolRegistered: false });

  it('registers from the emulator admin page through the framed tool page, launches only once both sides activate it, and survives Moodle\'s "Update" with the same client id, still in the activity chooser', async () => {
    const { emulator, tool } = lms;
    const start = emulator.startDynamicRegistration(`${tool.url}/lti/register`);
    const page = await lms.newPage();
    // Record what the admin page receives, independently of how the emulator page reacts to it.
    await page.addInitScript(() => {
      if (window.top !== window) return;
      const received: unknown[] = [];
      (window as unknown as { ltiMessages: unknown[] }).ltiMessages = received;
      window.addEventListener('message', (event) => received.push({ data: event.data, origin: event.origin }));
    });
    // The tool's page posts its close message as soon as it has registered and the admin page then
    // removes the frame, so the frame's navigation is recorded rather than waited for.
    const framedUrls: string[] = [];
    page.on('framenavigated', (navigated) => {
      if (navigated !== page.mainFrame()) framedUrls.push(navigated.url());
    });
    await page.goto(start.pageUrl);
    await page.locator('#status[data-state="closed"]').waitFor({ timeout: UI_WAIT_MS });
    expect(framedUrls).toContain(start.toolRegistrationUrl);
    const messages = await page.evaluate(() => (window as unknown as { ltiMessages: unknown[] }).ltiMessages);
    expect(messages).toContainEqual({ data: { subject: 'org.imsglobal.lti.close' }, origin: new URL(tool.url).origin });
    await page.screenshot({ path: `/tmp/attest-e2e-dynamic-registration-${backend}.png` });

    const [registration] = emulator.listTools();
    expect(registration).toMatchObject({ registeredBy: 'dynamic', active: false, loginUrl: `${tool.url}/lti/login`, jwksUrl: `${tool.url}/lti/keys` });
    if (!registration) throw new Error('no registration');
    expect(await tool.lti.platforms.find(emulator.issuer, registration.clientId)).toMatchObject({ isActive: false, deploymentIds: [registration.deploymentId] });

    // Placed while the tool is still inactive in Attest, as an activity without a line item.
    const course = lms.createCourse({ learners: ['Lee Learner'], units: [unit], clientId: registration.clientId, hasLineItems: false });
    const coursePage = course.pageUrl(course.learners[0], course.links[0]);

    // Active in Moodle but not yet in Attest: the tool refuses the launch and says why.
    emulator.activateTool(registration.clientId);
    const refused = await openCoursePage(page, coursePage);
    await refused.tool.getByText('waiting for an Attest administrator to activate it', { exact: false }).waitFor({ timeout: UI_WAIT_MS });
    await page.screenshot({ path: `/tmp/attest-e2e-launch-refused-inactive-${backend}.png` });

    await tool.lti.platforms.setActive(emulator.issuer, registration.clientId, true);
    const launched = await openCoursePage(page, coursePage);
    await expect.poll(() => launched.tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit.title);

    // Moodle's "Update" of the registration (a reg-update token naming the tool type): Attest
    // recognises it before answering, finds Moodle already holds its configuration and posts
    // nothing, so Moodle keeps the tool type, client id and activity-chooser setting; launches go on.
    const held = await tool.lti.platforms.get(emulator.issuer, registration.clientId);
    // The Moodle administrator had put Attest in the activity chooser; the update must not take it out.
    emulator.showInActivityChooser(registration.clientId);
    const update = emulator.startDynamicRegistration(`${tool.url}/lti/register`, { updateClientId: registration.clientId });
    await page.goto(update.pageUrl);
    // Only the tool's success pages post the close message (a refusal page runs no script), and
    // the admin page records it again on this new document (the init script above).
    await page.locator('#status[data-state="closed"]').waitFor({ timeout: UI_WAIT_MS });
    expect(await page.evaluate(() => (window as unknown as { ltiMessages: unknown[] }).ltiMessages)).toContainEqual({ data: { subject: 'org.imsglobal.lti.close' }, origin: new URL(tool.url).origin });
    await page.screenshot({ path: `/tmp/attest-e2e-dynamic-registration-update-${backend}.png` });
    expect(emulator.listTools()).toHaveLength(1);
    expect(emulator.getTool(registration.clientId)).toMatchObject({ clientId: registration.clientId, deploymentId: registration.deploymentId, active: true, courseVisible: 'activityChooser' });
    expect(await tool.lti.platforms.get(emulator.issuer, registration.clientId)).toEqual(held);
    expect(await tool.lti.platforms.list()).toHaveLength(1);
    const relaunched = await openCoursePage(page, coursePage);
    await expect.poll(() => relaunched.tool.getByRole('heading', { level: 1 }).textContent({ timeout: UI_WAIT_MS }), { timeout: UI_WAIT_MS }).toBe(unit.title);
  });
});
