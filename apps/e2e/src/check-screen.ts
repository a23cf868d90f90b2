import type { Frame, Page } from 'playwright-core';
import { env } from './env.ts';
import { measureHorizontalOverflow } from './measure-horizontal-overflow.ts';
import { findSeriousViolations } from './scan-accessibility.ts';
import { NEXT_PAINT, UI_WAIT_MS } from './patience.ts';

export interface ScreenReport {
  /** Serious and critical axe violations inside the tool's frame, one line each. */
  readonly violations: readonly string[];
  /** CSS pixels of horizontal scroll inside the tool's frame with the page 375 px wide. */
  readonly overflowAt375: number;
}

/**
 * A full-page screenshot leaves the part of a cross-site (out-of-process) frame below the fold
 * unpainted, so the viewport is made as tall as the page for the picture instead.
 */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1024, height: 800 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 6000) });
  await page.evaluate(NEXT_PAINT);
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

/**
 * The checks every screen the suites reach must pass: axe (WCAG 2.0 A/AA, 2.1 AA, 2.2 AA) at the
 * page's own width, then horizontal overflow with the page narrowed to a 375 px phone. The frame
 * is the emulator's iframe, sized by the LMS page as in Moodle, so this is the width a learner on
 * a phone really gets. Screenshots go to /tmp/attest-e2e-<name>-*.png for people to look at.
 */
export async function checkScreen(page: Page, frame: Frame, frameSelector: string, name: string): Promise<ScreenReport> {
  const original = page.viewportSize();
  if (env.isScreenshotting) await screenshotWhole(page, `/tmp/attest-e2e-${name}.png`);
  const violations = await findSeriousViolations(page, frameSelector);

  await page.setViewportSize({ width: 375, height: original?.height ?? 800 });
  // Let the frame reflow (and report its new height) before measuring.
  await frame.waitForFunction(() => document.documentElement.clientWidth <= 375, undefined, { timeout: UI_WAIT_MS });
  // The frame has re-laid itself out at 375 px, and the LMS page has applied any height it reported.
  await frame.evaluate(NEXT_PAINT);
  await page.evaluate(NEXT_PAINT);
  const overflowAt375 = await measureHorizontalOverflow(frame);
  if (env.isScreenshotting) await screenshotWhole(page, `/tmp/attest-e2e-${name}-375.png`);
  if (original) await page.setViewportSize(original);
  return { violations, overflowAt375 };
}
