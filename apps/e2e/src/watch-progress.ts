import type { Locator } from 'playwright-core';

export interface ProgressSample {
  readonly value: number;
  readonly max: number;
}

/**
 * Reads a `<progress>` element's value and max every `intervalMs` until `isDone` says stop (or
 * the element goes away), and returns what it saw. A test can then assert the bar really stood
 * part-way at some moment, rather than only that it existed.
 */
export async function watchProgress(bar: Locator, isDone: (sample: ProgressSample) => boolean, options: { timeoutMs: number; intervalMs?: number }): Promise<ProgressSample[]> {
  const samples: ProgressSample[] = [];
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if ((await bar.count()) === 0) break;
    const sample = await bar.evaluate((element) => ({ value: (element as HTMLProgressElement).value, max: (element as HTMLProgressElement).max }), undefined, { timeout: 1_000 }).catch(() => null);
    if (sample) {
      samples.push(sample);
      if (isDone(sample)) break;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  return samples;
}
