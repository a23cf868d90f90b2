import type { Frame, FrameLocator } from 'playwright-core';
import { UI_WAIT_MS } from './patience.ts';

/**
 * Waits until the tool's level-1 heading reads `expected`. When it does not, the error says where
 * the frame got to and what it shows (a refused launch, an error state, a screen still loading),
 * with the tool's last log lines, so a failure in CI can be read without a rerun.
 */
export async function waitForHeading(frame: Frame, tool: FrameLocator, expected: string, options: { timeoutMs?: number; toolLog?: readonly string[] } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? UI_WAIT_MS;
  const started = Date.now();
  let last: string | null = null;
  while (Date.now() - started < timeoutMs) {
    const heading = tool.getByRole('heading', { level: 1 });
    last = (await heading.count()) > 0 ? await heading.first().textContent({ timeout: UI_WAIT_MS }).catch(() => null) : null;
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const shown = await frame
    .locator('body')
    .innerText({ timeout: UI_WAIT_MS })
    .catch((error: unknown) => `(could not read the frame: ${(error as Error).message})`);
  throw new Error(
    `The tool's frame did not show the heading "${expected}" within ${timeoutMs / 1000} s; its heading was ${last === null ? 'absent' : `"${last}"`}.\n` +
      `Frame URL: ${frame.url()}\nFrame text: ${shown.replace(/\s+/g, ' ').slice(0, 800)}` +
      (options.toolLog && options.toolLog.length > 0 ? `\nThe tool logged:\n${options.toolLog.slice(-20).join('\n')}` : ''),
  );
}
