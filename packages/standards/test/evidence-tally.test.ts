import { describe, expect, it } from 'vitest';
import { EvidenceTally } from '../src/evidence-tally.ts';
import type { Reason } from '../src/verdict.ts';

// Item ids by item number; methods are given to the tally by their index in ASSESSMENT_METHODS.
const ids = ['ev-1', 'ev-2', 'ev-3'];
const O = 0;
const WT = 3;

function filled(): EvidenceTally {
  const tally = new EvidenceTally(2, 6, ids.length);
  tally.setItem(0, O, true);
  tally.setItem(1, WT, false);
  tally.setItem(2, O, true);
  return tally;
}

const referred: Reason = { code: 'evidence_referred', params: { evidenceId: 'ev-2' } };

describe('EvidenceTally', () => {
  it('lists a target’s usable items, observations and methods in the order they were added', () => {
    const tally = filled();
    tally.addUsable(0, 0, 0);
    tally.addUsable(0, 1, 1);
    tally.addUsable(0, 2, 2);
    expect(tally.usableIds(0, ids)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(tally.observedIds(0, ids)).toEqual(['ev-1', 'ev-3']);
    expect(tally.methods(0)).toEqual(['O', 'WT']);
    expect(tally.usableIds(1, ids)).toEqual([]);
    tally.release();
  });

  it('counts an item once per target however many of its mappings name the target, and equal ids as one', () => {
    const tally = filled();
    tally.addUsable(0, 0, 0);
    tally.addUsable(0, 0, 0);
    // Item 1 shares item 0's id group: a duplicate id counts once.
    tally.addUsable(0, 1, 0);
    tally.addUsable(1, 0, 0);
    expect(tally.usableCount(0)).toBe(1);
    expect(tally.usableCount(1)).toBe(1);
    tally.release();
  });

  it('puts the lead, head, own reasons and tail in that order, leaving out what is null', () => {
    const tally = filled();
    const lead: Reason = { code: 'observation_required', params: { ref: '1', methods: [] } };
    const tail: Reason = { code: 'not_required', params: {} };
    tally.addReason(1, referred);
    expect(tally.reasons(1, lead, null, tail)).toEqual([lead, referred, tail]);
    expect(tally.reasons(0, null, null, null)).toEqual([]);
    tally.release();
  });

  it('starts a reused buffer cleared, so nothing of the previous evaluation remains', () => {
    const first = filled();
    first.addUsable(0, 0, 0);
    first.addPending(1, true);
    first.addReason(1, referred);
    first.release();
    const second = filled();
    expect(second.usableCount(0)).toBe(0);
    expect(second.pendingCount(1)).toBe(0);
    expect(second.hasPendingObservation(1)).toBe(false);
    expect(second.reasons(1, null, null, null)).toEqual([]);
    second.release();
  });

  it('gives a tally taken while another holds the shared buffer a buffer of its own', () => {
    const outer = filled();
    outer.addUsable(0, 0, 0);
    const inner = filled();
    inner.addUsable(0, 1, 1);
    inner.release();
    expect(outer.usableIds(0, ids)).toEqual(['ev-1']);
    outer.release();
  });
});
