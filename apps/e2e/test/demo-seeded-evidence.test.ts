import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDemoUrls, startDemo, type Demo } from '@attest/demo';
import type { Browser, BrowserContext, FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { launchChromium } from '../src/launch-chromium.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';

// What `npm start` prints, opened in a browser: the demo runs on its embedded database only, so
// this file has no PostgreSQL variant.
let browser: Browser;
let context: BrowserContext;
let demo: Demo;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'attest-e2e-demo-'));
  demo = await startDemo({ toolPort: 0, emulatorPort: 0, dataDir });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The learner URL printed on the line after `name (…)`. */
function printedLearnerUrl(name: string): string {
  const lines = formatDemoUrls(demo).split('\n');
  const at = lines.findIndex((line) => line.trimStart().startsWith(`${name} `));
  const url = lines[at + 1]?.trim() ?? '';
  if (at < 0 || !url.startsWith('http')) throw new Error(`No printed URL for ${name}`);
  return url;
}

async function missingCount(tool: FrameLocator): Promise<number> {
  const text = (await tool.getByRole('region', { name: 'What is still missing' }).getByRole('status').first().textContent({ timeout: 15_000 })) ?? '';
  return text.startsWith('Nothing is missing') ? 0 : Number(/^(\d+)/.exec(text)?.[1] ?? Number.NaN);
}

describe('the demo’s printed learner URLs', () => {
  it('open the first learner’s unit with their seeded evidence, a partly filled grid and a shorter missing list', async () => {
    if (!('seeded' in demo.evidence)) throw new Error(`The demo did not seed evidence: ${demo.evidence.error}`);
    const [lee, priya] = demo.learners;
    const unitTitle = demo.units[0]?.title ?? '';
    const page = await context.newPage();

    const empty = await openCoursePage(page, printedLearnerUrl(priya?.user.name ?? ''));
    await expect.poll(() => empty.tool.getByRole('heading', { level: 1 }).textContent({ timeout: 30_000 }), { timeout: 30_000 }).toBe(unitTitle);
    await empty.tool.getByText('No evidence yet.').waitFor();
    const missingWithout = await missingCount(empty.tool);

    const { frame, tool } = await openCoursePage(page, printedLearnerUrl(lee?.user.name ?? ''));
    await expect.poll(() => tool.getByRole('heading', { level: 1 }).textContent({ timeout: 30_000 }), { timeout: 30_000 }).toBe(unitTitle);
    for (const [index, item] of demo.evidence.seeded.items.entries()) await tool.getByRole('button', { name: `Open E${index + 1}: ${item.title}` }).waitFor({ timeout: 15_000 });
    const grid = tool.getByRole('region', { name: `Recording form for ${unitTitle}` });
    expect(await grid.getByRole('columnheader', { name: /^E\d/ }).count()).toBe(3);
    expect(await grid.getByText('PE pending').count()).toBeGreaterThan(0);
    expect(await grid.getByText('WT pending').count()).toBeGreaterThan(0);
    const missingWith = await missingCount(tool);
    expect(missingWith).toBeLessThan(missingWithout);
    expect(missingWith).toBeGreaterThan(0);

    const report = await checkScreen(page, frame, ltiFrameSelector, 'demo-learner-with-evidence');
    expect(report.violations, report.violations.join('\n')).toEqual([]);
    expect(report.overflowAt375).toBe(0);
    await page.close();
  });
});
