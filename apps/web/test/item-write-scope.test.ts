import { MutationObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '../src/api/api-query.ts';
import { evidenceScope } from '../src/portfolio/use-evidence-item.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One write of the item, as the editor's hooks make them: a mutation in the item's scope. */
function write<T>(client: ReturnType<typeof createQueryClient>, key: string, task: () => Promise<T>): Promise<T> {
  return new MutationObserver(client, { scope: evidenceScope(key), mutationFn: task }).mutate();
}

// What the serial queue guaranteed, now asked of TanStack Query's mutation scopes: every write of an
// item names the version it read, so two of one item in flight at once would conflict.
describe('the writes of one evidence item', () => {
  it('start each only after the previous one has finished, in the order they were made', async () => {
    const client = createQueryClient();
    const log: string[] = [];
    const slow = write(client, 'item-1', async () => { log.push('save starts'); await tick(20); log.push('save ends'); return 'saved'; });
    const next = write(client, 'item-1', async () => { log.push('mappings start'); return 'mapped'; });
    expect(await Promise.all([slow, next])).toEqual(['saved', 'mapped']);
    expect(log).toEqual(['save starts', 'save ends', 'mappings start']);
  });

  it('let the caller of a failed write see the failure and still run the writes after it', async () => {
    const client = createQueryClient();
    const failed = write(client, 'item-1', async () => { throw new Error('offline'); });
    const after = write(client, 'item-1', async () => 'ran');
    await expect(failed).rejects.toThrow('offline');
    expect(await after).toBe('ran');
  });

  it('do not wait for another item’s writes', async () => {
    const client = createQueryClient();
    const log: string[] = [];
    const slow = write(client, 'item-1', async () => { await tick(30); log.push('item 1 saved'); });
    const other = write(client, 'item-2', async () => { log.push('item 2 saved'); });
    await Promise.all([slow, other]);
    expect(log).toEqual(['item 2 saved', 'item 1 saved']);
  });
});
