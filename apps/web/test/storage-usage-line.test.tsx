import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StorageUsage } from '@attest/contracts';
import { checkFileAgainstQuota, StorageUsageLine } from '../src/portfolio/storage-usage-line.tsx';
import { textOf } from './portfolio-factories.ts';

const MB = 1024 * 1024;
const usage = (overrides: Partial<StorageUsage> = {}): StorageUsage => ({ bytesUsed: 38 * MB, bytesLimit: 500 * MB, bytesLeft: 462 * MB, itemsUsed: 12, itemsLimit: 200, itemsLeft: 188, ...overrides });

describe('StorageUsageLine', () => {
  it('says what the learner has used of their quota, in bytes and in items', () => {
    expect(textOf(renderToStaticMarkup(<StorageUsageLine usage={usage()} />))).toBe('38 MB of 500 MB used · 12 of 200 items');
  });

  it('says plainly when the storage is full, and when the item cap is reached', () => {
    const full = textOf(renderToStaticMarkup(<StorageUsageLine usage={usage({ bytesUsed: 500 * MB, bytesLeft: 0 })} />));
    expect(full).toBe('500 MB of 500 MB used · 12 of 200 items Your evidence in this course has reached its 500 MB limit: remove files you no longer need before adding more, or ask your tutor.');
    const capped = textOf(renderToStaticMarkup(<StorageUsageLine usage={usage({ itemsUsed: 200, itemsLeft: 0 })} />));
    expect(capped).toContain('You keep 200 evidence items in this course, the most allowed: add files to an existing item, or ask your tutor.');
  });

  it('refuses a file one byte larger than what is left before sending it, and takes one exactly that size', () => {
    expect(checkFileAgainstQuota({ name: 'call.mp3', size: 2 * MB + 1 }, 2 * MB)).toBe('call.mp3 was not added: it is 2 MB and your evidence in this course has 2 MB left.');
    expect(checkFileAgainstQuota({ name: 'call.mp3', size: 2 * MB }, 2 * MB)).toBeNull();
  });
});
