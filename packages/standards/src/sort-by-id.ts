/** Anything with a string id; evidence items, in the engine. */
type HasId = { readonly id: string };

// Runs this short are insertion-sorted before merging: fewer moves than merging from length 1.
const RUN = 8;

/**
 * The items in ascending id order (UTF-16 code units, as `<` compares strings), stable for equal
 * ids; the input itself when already in order. A merge sort written out rather than
 * `Array.prototype.sort` with a comparator: each comparison there is a call out of the built-in
 * into JavaScript, and with 50 items that call cost most of the sort.
 */
export function sortById<T extends HasId>(items: readonly T[]): readonly T[] {
  const n = items.length;
  let isSorted = true;
  for (let i = 1; i < n; i++) {
    if ((items[i - 1] as T).id > (items[i] as T).id) {
      isSorted = false;
      break;
    }
  }
  if (isSorted) return items;

  let from = items.slice();
  for (let start = 0; start < n; start += RUN) {
    const end = start + RUN < n ? start + RUN : n;
    for (let i = start + 1; i < end; i++) {
      const item = from[i] as T;
      const id = item.id;
      let j = i - 1;
      // Strictly greater only, so equal ids keep their order.
      while (j >= start && (from[j] as T).id > id) {
        from[j + 1] = from[j] as T;
        j--;
      }
      from[j + 1] = item;
    }
  }
  let to = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + 2 * width < n ? lo + 2 * width : n;
      let i = lo;
      let j = mid;
      let k = lo;
      // Take from the right run only when strictly smaller: stability again.
      while (i < mid && j < hi) to[k++] = (from[j] as T).id < (from[i] as T).id ? (from[j++] as T) : (from[i++] as T);
      while (i < mid) to[k++] = from[i++] as T;
      while (j < hi) to[k++] = from[j++] as T;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  return from;
}
