import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortById } from '../src/sort-by-id.ts';

type Item = { id: string; position: number };

// The reference the engine used before: the built-in sort, which is stable.
const referenceSort = (items: readonly Item[]): Item[] => items.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

// Few distinct characters, so ids repeat and share prefixes as real ones do (ev-1, ev-10, ev-2).
const idArb = fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'v', '-', '1', '2', '0', 'é', '😀'), maxLength: 6 });
const itemsArb = fc.array(idArb, { maxLength: 120 }).map((ids) => ids.map((id, position): Item => ({ id, position })));

describe('sortById', () => {
  it('orders items exactly as the built-in stable sort does, equal ids keeping their order', () => {
    fc.assert(
      fc.property(itemsArb, (items) => {
        expect(sortById(items)).toEqual(referenceSort(items));
      }),
      { numRuns: 500 },
    );
  });

  it('returns the input itself, unchanged, when it is already in order', () => {
    const items: Item[] = ['ev-1', 'ev-10', 'ev-2', 'ev-2'].map((id, position) => ({ id, position }));
    expect(sortById(items)).toBe(items);
  });

  it('leaves an unordered input untouched and returns a new array', () => {
    const items: Item[] = ['c', 'a', 'b'].map((id, position) => ({ id, position }));
    const sorted = sortById(items);
    expect(sorted).not.toBe(items);
    expect(items.map((i) => i.id)).toEqual(['c', 'a', 'b']);
    expect(sorted.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('sorts runs longer than one insertion block across every merge width', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `c7-ev${i}`);
    const items = ids.map((id, position) => ({ id, position })).reverse();
    expect(sortById(items).map((i) => i.id)).toEqual([...ids].sort());
  });
});
