import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '../src/portfolio/use-serial-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createSerialQueue', () => {
  it('starts each task only after the previous one has finished, in the order they were queued', async () => {
    const queue = createSerialQueue();
    const log: string[] = [];
    const slow = queue(async () => { log.push('save starts'); await tick(20); log.push('save ends'); return 'saved'; });
    const next = queue(async () => { log.push('mappings start'); return 'mapped'; });
    expect(await Promise.all([slow, next])).toEqual(['saved', 'mapped']);
    expect(log).toEqual(['save starts', 'save ends', 'mappings start']);
  });

  it('lets the caller of a failed task see the failure and still runs the tasks after it', async () => {
    const queue = createSerialQueue();
    const failed = queue(async () => { throw new Error('offline'); });
    const after = queue(async () => 'ran');
    await expect(failed).rejects.toThrow('offline');
    expect(await after).toBe('ran');
  });
});
