// What every bench prints its figures with.
import { loadavg } from 'node:os';

/** The p-th percentile of ascending `sorted` (nearest rank), NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

/** The machine's 1, 5 and 15 minute load averages, which every timing here moves with. */
export const loadAverage = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');
