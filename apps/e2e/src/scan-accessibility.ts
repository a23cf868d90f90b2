import { AxeBuilder } from '@axe-core/playwright';
import type { Frame, Page } from 'playwright-core';
import { UI_WAIT_MS } from './patience.ts';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = AxeResults['violations'][number];

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

function describe(violation: Violation): string {
  const targets = violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' >>> '));
  return `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.length} node(s): ${targets.join(', ')}) ${violation.helpUrl}`;
}

/** What AxeBuilder keeps private but this file replaces: how axe-core gets into each frame. */
interface AxeBuilderInternals {
  inject(frames: Frame[], shouldThrow?: boolean): Promise<void>;
  script(): string;
  axeConfigure(): Promise<string>;
}

/**
 * An AxeBuilder that waits for axe-core to load in a frame as long as the suites wait for anything
 * (UI_WAIT_MS). AxeBuilder races each frame's injection against a fixed 1 s timer and, when the timer
 * wins, leaves the frame out of the results without a word. The tool's frame is cross-site, so
 * Chromium runs it in a process of its own, and on a loaded machine (load average 10) evaluating
 * axe's source there took longer than 1 s every time: the scan found nothing because it had scanned
 * nothing, which harness.test.ts caught.
 */
function patientAxeBuilder(page: Page): AxeBuilder {
  const builder = new AxeBuilder({ page });
  const internals = builder as unknown as AxeBuilderInternals;
  internals.inject = async (frames) => {
    for (const frame of frames) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`axe-core did not load in ${frame.url()} within ${UI_WAIT_MS / 1000} s`)), UI_WAIT_MS);
      });
      try {
        await Promise.race([frame.evaluate(internals.script()), bound]);
      } finally {
        clearTimeout(timer);
      }
      await frame.evaluate(await internals.axeConfigure());
    }
  };
  return builder;
}

/**
 * Runs axe on the tool's screen inside the LMS frame (`frameSelector`), not on the emulator's page
 * around it, and returns one line per serious or critical violation, so a failing assertion lists
 * what to fix. An empty array is the pass. A scan that reached no element of the frame (axe could
 * not run there) throws instead of passing.
 */
export async function findSeriousViolations(page: Page, frameSelector: string): Promise<string[]> {
  const results = await patientAxeBuilder(page).include([frameSelector, 'html']).withTags(wcagTags).analyze();
  const reached = [...results.passes, ...results.violations, ...results.incomplete].some((result) => result.nodes.length > 0);
  if (!reached) throw new Error(`axe checked no element inside ${frameSelector} on ${page.url()}: the frame was not scanned`);
  return results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map(describe);
}
