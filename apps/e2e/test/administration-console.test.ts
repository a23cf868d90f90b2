import { startPlatformEmulator } from '@attest/platform-emulator';
import { CLI_ACTOR, grantAttestAdministrator } from '@attest/tool';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';
import { waitForHeading } from '../src/wait-for-heading.ts';

// Issue 14, item 1 (decision 21): an Attest administrator activates a newly registered LMS from the
// administration console while the tool runs on PGlite, where the register-platform CLI cannot run
// beside it (PGlite admits one process); the new LMS's next launch gets in with no restart.

const unit = getUnit('nvq2-cs-201');

describe('the administration console on pglite', () => {
  const browser = useBrowser();
  const lms = useBrowserStack(browser, { mode: 'moodle', backend: 'pglite' });

  it('lets an Attest administrator activate a newly registered Moodle in two clicks, after which its launch succeeds without a restart', async () => {
    const { tool, toolLog } = lms;
    // A second college's Moodle registers Attest by Dynamic Registration: active in Moodle, inactive in Attest.
    const newcomer = await startPlatformEmulator({ mode: 'moodle', host: '127.0.0.1', port: 0 });
    try {
      const registration = await newcomer.registerToolDynamically(`${tool.url}/lti/register`, { activate: true });
      const registered = await tool.lti.platforms.get(newcomer.issuer, registration.clientId);
      expect(registered.isActive).toBe(false);
      // Dynamic Registration names it after where it came from ("moodle at 127.0.0.1:<port>").
      const name = registered.name ?? registered.issuer;
      const course = newcomer.createCourse({ title: 'Customer Service Level 2' });
      const learner = newcomer.createUser({ name: 'Rhea Riverside' });
      newcomer.enrol(course.id, learner.id, 'learner');
      const link = newcomer.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id } });
      const learnerPage = newcomer.coursePageUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id });

      const page = await lms.newPage();
      const refused = await openCoursePage(page, learnerPage);
      await refused.tool.getByText('waiting for an Attest administrator to activate it', { exact: false }).waitFor({ timeout: UI_WAIT_MS });

      // The operator teaches in the first college's Moodle and is no administrator there; Attest
      // makes them one with the function `register-platform grant-administrator` runs.
      const {
        assessors: [operator],
        links: [operatorLink],
        pageUrl,
      } = lms.createCourse({ assessors: ['Olu Operator'], units: [unit] });
      await grantAttestAdministrator(tool.db, { issuer: lms.emulator.issuer, userId: operator.id, name: 'Olu Operator' }, { actor: CLI_ACTOR, grantedBy: 'cli' });

      let clicks = 0;
      const { frame, tool: operatorFrame } = await openCoursePage(page, pageUrl(operator, operatorLink));
      await waitForHeading(frame, operatorFrame, unit.title, { toolLog });
      await operatorFrame.getByRole('button', { name: 'Administration' }).click();
      clicks += 1;
      await operatorFrame.getByRole('heading', { level: 1, name: 'Attest administration' }).waitFor({ timeout: UI_WAIT_MS });
      const card = operatorFrame.getByRole('listitem').filter({ has: operatorFrame.getByRole('heading', { level: 3, name }) });
      await expect.poll(() => card.getByText('Inactive: launches from this LMS are refused', { exact: false }).count(), { timeout: UI_WAIT_MS }).toBe(1);
      const report = await checkScreen(page, frame, ltiFrameSelector, 'administration-console-pglite');
      expect(report.violations, report.violations.join('\n')).toEqual([]);
      expect(report.overflowAt375).toBe(0);

      await operatorFrame.getByRole('button', { name: `Activate ${name}` }).click();
      clicks += 1;
      await operatorFrame.getByRole('status').getByText(`${name} is now active: its launches are accepted.`).waitFor({ timeout: UI_WAIT_MS });
      await card.getByText('Active: launches from this LMS are accepted.').waitFor({ timeout: UI_WAIT_MS });
      expect(clicks).toBe(2);
      // Back to the caseload, with the focus on the button that opened the console.
      await operatorFrame.getByRole('button', { name: 'Back to the activity' }).click();
      await waitForHeading(frame, operatorFrame, unit.title, { toolLog });
      await expect.poll(() => frame.evaluate(() => document.activeElement?.textContent?.trim() ?? null), { timeout: UI_WAIT_MS }).toBe('Administration');

      // The same tool process, never restarted: the new college's learner now reaches their unit.
      const admitted = await openCoursePage(page, learnerPage);
      await waitForHeading(admitted.frame, admitted.tool, unit.title, { toolLog });
      expect(await tool.lti.platforms.find(newcomer.issuer, registration.clientId)).toMatchObject({ isActive: true });
    } finally {
      await newcomer.close();
    }
  });
});
