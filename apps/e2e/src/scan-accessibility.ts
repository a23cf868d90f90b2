import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type Violation = AxeResults['violations'][number];

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

function describe(violation: Violation): string {
  const targets = violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' >>> '));
  return `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.length} node(s): ${targets.join(', ')}) ${violation.helpUrl}`;
}

/**
 * Runs axe on the tool's screen inside the LMS frame (`frameSelector`), not on the emulator's page
 * around it, and returns one line per serious or critical violation, so a failing assertion lists
 * what to fix. An empty array is the pass.
 */
export async function findSeriousViolations(page: Page, frameSelector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include([frameSelector, 'html']).withTags(wcagTags).analyze();
  return results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map(describe);
}
