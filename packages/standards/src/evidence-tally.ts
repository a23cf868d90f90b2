import type { Reason } from './verdict.ts';
import { ASSESSMENT_METHOD_CODES } from './vocabularies.ts';

// One target's counters sit side by side in a single Int32Array, and each target's usable items
// and reasons are chained through it. An object and up to four growing lists per target were
// most of what an evaluation allocated; the lists are now built once, at their final length.
const USABLE_HEAD = 0; // entries are numbered from 1; 0 means none
const USABLE_TAIL = 1;
const USABLE_COUNT = 2;
const OBSERVED_COUNT = 3;
const REASON_HEAD = 4;
const REASON_TAIL = 5;
const REASON_COUNT = 6;
const PENDING = 7;
const PENDING_OBSERVATION = 8;
const LAST_GROUP = 9; // 1 + the id group of the target's last usable item
const METHOD_MASK = 10; // one bit per method index among the usable items
const METHOD_COUNT = 11;
const FIELDS = 12;

// Item flags: the method's index in ASSESSMENT_METHODS, shifted, and whether it is an observation.
const IS_OBSERVATION = 1;

let spare: Int32Array | null = null;

// The empty list every target without usable evidence shares: frozen, so no reader can fill
// another verdict's list through it. A target in two without evidence is the common case.
const NONE = Object.freeze([]) as unknown as string[];
const METHOD_SHIFT = 1;

/**
 * What one evaluation has gathered per target (statement, scope item or evidence requirement,
 * numbered by the caller) from one pass over the evidence in id order.
 */
export class EvidenceTally {
  private readonly data: Int32Array;
  private readonly usableNextAt: number;
  private readonly usableItemAt: number;
  private readonly reasonNextAt: number;
  private readonly itemFlagsAt: number;
  private readonly reasonList: Reason[] = [];
  private usableEntries = 0;

  /** `entryCapacity` bounds both the usable items and the reasons: at most one of each per mapping. */
  constructor(targetCount: number, entryCapacity: number, itemCount: number) {
    this.usableNextAt = targetCount * FIELDS;
    this.usableItemAt = this.usableNextAt + entryCapacity;
    this.reasonNextAt = this.usableItemAt + entryCapacity;
    this.itemFlagsAt = this.reasonNextAt + entryCapacity;
    const size = this.itemFlagsAt + itemCount;
    // Typed arrays above a few dozen bytes live outside the JavaScript heap and cost far more to
    // create than to use, so evaluations share one buffer: taken while free, cleared, and handed
    // back by release(). A nested evaluation (a getter on the facts evaluating again) finds it
    // taken and gets its own.
    if (spare !== null && spare.length >= size) {
      this.data = spare;
      spare = null;
      this.data.fill(0, 0, size);
    } else this.data = new Int32Array(Math.max(size, 4096));
  }

  /** Hands the buffer back for the next evaluation; the tally must not be used afterwards. */
  release(): void {
    spare = this.data;
  }

  setItem(item: number, methodIndex: number, isObservation: boolean): void {
    this.data[this.itemFlagsAt + item] = (methodIndex << METHOD_SHIFT) | (isObservation ? IS_OBSERVATION : 0);
  }

  /**
   * Counts an item once per target however many of its mappings name the target. `group` is the
   * position of the first item with the same id: equal ids count once, as one piece of evidence.
   */
  addUsable(target: number, item: number, group: number): void {
    const d = this.data;
    const o = target * FIELDS;
    if (d[o + LAST_GROUP] === group + 1) return;
    d[o + LAST_GROUP] = group + 1;
    const entry = ++this.usableEntries;
    d[this.usableItemAt + entry - 1] = item;
    const tail = d[o + USABLE_TAIL] as number;
    if (tail === 0) d[o + USABLE_HEAD] = entry;
    else d[this.usableNextAt + tail - 1] = entry;
    d[o + USABLE_TAIL] = entry;
    d[o + USABLE_COUNT] = (d[o + USABLE_COUNT] as number) + 1;
    const flags = d[this.itemFlagsAt + item] as number;
    if ((flags & IS_OBSERVATION) !== 0) d[o + OBSERVED_COUNT] = (d[o + OBSERVED_COUNT] as number) + 1;
    const bit = 1 << (flags >>> METHOD_SHIFT);
    const mask = d[o + METHOD_MASK] as number;
    if ((mask & bit) === 0) {
      d[o + METHOD_MASK] = mask | bit;
      d[o + METHOD_COUNT] = (d[o + METHOD_COUNT] as number) + 1;
    }
  }

  addReason(target: number, reason: Reason): void {
    const d = this.data;
    const o = target * FIELDS;
    const entry = this.reasonList.push(reason);
    const tail = d[o + REASON_TAIL] as number;
    if (tail === 0) d[o + REASON_HEAD] = entry;
    else d[this.reasonNextAt + tail - 1] = entry;
    d[o + REASON_TAIL] = entry;
    d[o + REASON_COUNT] = (d[o + REASON_COUNT] as number) + 1;
  }

  addPending(target: number, isObservation: boolean): void {
    const o = target * FIELDS;
    this.data[o + PENDING] = (this.data[o + PENDING] as number) + 1;
    if (isObservation) this.data[o + PENDING_OBSERVATION] = 1;
  }

  usableCount(target: number): number {
    return this.data[target * FIELDS + USABLE_COUNT] as number;
  }

  observedCount(target: number): number {
    return this.data[target * FIELDS + OBSERVED_COUNT] as number;
  }

  pendingCount(target: number): number {
    return this.data[target * FIELDS + PENDING] as number;
  }

  hasPendingObservation(target: number): boolean {
    return this.data[target * FIELDS + PENDING_OBSERVATION] === 1;
  }

  reasonCount(target: number): number {
    return this.data[target * FIELDS + REASON_COUNT] as number;
  }

  /**
   * The ids of the target's usable items, in evidence order, from `ids` by item number: the
   * engine's own list, as reading the facts' objects here would tie this code to their shape.
   * A fresh array each call, but for the shared, frozen empty one.
   */
  usableIds(target: number, ids: readonly string[]): string[] {
    return this.collect(target, ids, false);
  }

  /** The ids of the target's usable observations, in evidence order. */
  observedIds(target: number, ids: readonly string[]): string[] {
    return this.collect(target, ids, true);
  }

  // Every list below is allocated at its final length: lists grown by push reserve room for
  // sixteen more entries, and the verdict keeps them all.

  /** The methods of the target's usable items, each once, in order of first use, as the vocabulary spells them. */
  methods(target: number): string[] {
    const d = this.data;
    const distinct = d[target * FIELDS + METHOD_COUNT] as number;
    if (distinct === 0) return NONE;
    const out = new Array<string>(distinct);
    let seen = 0;
    let k = 0;
    for (let e = d[target * FIELDS + USABLE_HEAD] as number; k < distinct; e = d[this.usableNextAt + e - 1] as number) {
      const item = d[this.usableItemAt + e - 1] as number;
      const bit = 1 << ((d[this.itemFlagsAt + item] as number) >>> METHOD_SHIFT);
      if ((seen & bit) === 0) {
        seen |= bit;
        out[k++] = ASSESSMENT_METHOD_CODES[(d[this.itemFlagsAt + item] as number) >>> METHOD_SHIFT] as string;
      }
    }
    return out;
  }

  /** `lead`, `head`, the target's own reasons in evidence order, then `tail`; nulls are left out. */
  reasons(target: number, lead: Reason | null, head: Reason | null, tail: Reason | null): Reason[] {
    const d = this.data;
    const out = new Array<Reason>((lead === null ? 0 : 1) + (head === null ? 0 : 1) + (d[target * FIELDS + REASON_COUNT] as number) + (tail === null ? 0 : 1));
    let k = 0;
    if (lead !== null) out[k++] = lead;
    if (head !== null) out[k++] = head;
    for (let e = d[target * FIELDS + REASON_HEAD] as number; e !== 0; e = d[this.reasonNextAt + e - 1] as number) out[k++] = this.reasonList[e - 1] as Reason;
    if (tail !== null) out[k] = tail;
    return out;
  }

  private collect(target: number, ids: readonly string[], isObservedOnly: boolean): string[] {
    const d = this.data;
    const o = target * FIELDS;
    const count = (isObservedOnly ? d[o + OBSERVED_COUNT] : d[o + USABLE_COUNT]) as number;
    if (count === 0) return NONE;
    const out = new Array<string>(count);
    let k = 0;
    for (let e = d[o + USABLE_HEAD] as number; e !== 0; e = d[this.usableNextAt + e - 1] as number) {
      const item = d[this.usableItemAt + e - 1] as number;
      if (!isObservedOnly || ((d[this.itemFlagsAt + item] as number) & IS_OBSERVATION) !== 0) out[k++] = ids[item] as string;
    }
    return out;
  }
}
