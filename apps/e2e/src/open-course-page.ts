import type { Frame, FrameLocator, Page } from 'playwright-core';

/** The emulator's iframe that holds the tool, on both the course page and the registration page. */
export const ltiFrameSelector = '#lti-frame';

export interface CoursePage {
  /** The tool's frame: stays the same object while the frame navigates through the launch. */
  readonly frame: Frame;
  /** The same frame for locator-style waits. */
  readonly tool: FrameLocator;
}

/** The tool's frame on the emulator page that `page` shows now (after a goto or a reload). */
export async function findToolFrame(page: Page): Promise<CoursePage> {
  const frame = await (await page.waitForSelector(ltiFrameSelector)).contentFrame();
  if (!frame) throw new Error(`The page ${page.url()} has no tool frame`);
  return { frame, tool: page.frameLocator(ltiFrameSelector) };
}

/** Opens an emulator course page (which starts the launch in its cross-site iframe). */
export async function openCoursePage(page: Page, url: string): Promise<CoursePage> {
  await page.goto(url);
  return findToolFrame(page);
}
