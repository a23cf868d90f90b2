// The emulator's pages in a real browser (Debian's chromium): the course page frames the launch on
// another site and honours lti.frameResize; the DR page hears the tool's close message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { setUpCourse, type CourseFixture } from './course-fixture.ts';

const chromiumPath = '/usr/bin/chromium';

describe('emulator pages in chromium', () => {
  let browser: Browser;
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
    fake.authorizationUrl = lms.authorizationUrl;
    fake.clientId = course.tool.clientId;
  });
  afterAll(async () => {
    await browser?.close();
    await lms?.close();
    await fake?.close();
  });

  it('launches the tool inside the course page frame, across sites, and resizes the frame on lti.frameResize', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(lms.coursePageUrl({ courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id }));
      const frame = page.frameLocator('#lti-frame');
      await expect.poll(() => frame.locator('#launched').textContent(), { timeout: 90_000 }).toBe(`Launched as ${course.learnerId}`);
      await expect.poll(() => page.locator('#lti-frame').getAttribute('data-resized'), { timeout: 90_000 }).toBe('1234');
      expect(await page.locator('#lti-frame').evaluate((element) => (element as unknown as { style: { height: string } }).style.height)).toBe('1234px');
      expect(new URL(page.frames()[1]?.url() ?? '').origin).toBe(fake.url);
    } finally {
      await page.close();
    }
  });

  it('ignores a resize message that does not come from the tool frame', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(lms.coursePageUrl({ courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id }));
      await expect.poll(() => page.locator('#lti-frame').getAttribute('data-resized'), { timeout: 90_000 }).toBe('1234');
      // A string, so the page's `window` needs no DOM types here.
      await page.evaluate("window.postMessage({ subject: 'lti.frameResize', height: 50 }, '*')");
      await page.waitForTimeout(200);
      expect(await page.locator('#lti-frame').getAttribute('data-resized')).toBe('1234');
    } finally {
      await page.close();
    }
  });

  it('closes the registration frame when the tool posts org.imsglobal.lti.close', async () => {
    const page = await browser.newPage();
    try {
      const start = lms.startDynamicRegistration(fake.registrationUrl);
      await page.goto(start.pageUrl);
      await expect.poll(() => page.locator('#status').getAttribute('data-state'), { timeout: 90_000 }).toBe('closed');
      expect(await page.locator('#registration-frame').count()).toBe(0);
      const registered = lms.listTools().find((tool) => tool.registeredBy === 'dynamic');
      expect(registered).toMatchObject({ active: false, jwksUrl: fake.jwksUrl });
    } finally {
      await page.close();
    }
  });
});
