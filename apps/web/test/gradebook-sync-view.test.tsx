import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { SYNC_STATES, type SyncRow } from '@attest/contracts';
import { describeResync, SyncReportView } from '../src/sync/gradebook-sync-screen.tsx';
import { groupByUnit, summariseSync, SYNC_STATE_LABELS } from '../src/sync/describe-sync-state.ts';
import { textOf } from './portfolio-factories.ts';

// Issue 14: the gradebook sync screen lists each learner's grade as a card (no wide table), names
// every state in words, and offers resync where it can repair something.

const ignore = () => undefined;
let rows = 0;
const aRow = (overrides: Partial<SyncRow> = {}): SyncRow => {
  rows += 1;
  return {
    passbackId: `00000000-0000-4000-8000-${String(rows).padStart(12, '0')}`,
    learnerUserId: `learner-${rows}`,
    learnerName: `Learner ${rows}`,
    unitId: 'unit-s',
    lineItemUrl: 'https://lms.example/lineitems/1',
    state: 'in_sync',
    explanation: 'The gradebook holds what Attest sent.',
    expectedScore: 100,
    expectedProgress: 'Completed / FullyGraded',
    heldScore: 100,
    sentAt: '2026-12-04T10:00:00Z',
    lastError: null,
    isRepairedByBulkResync: false,
    canResync: false,
    ...overrides,
  };
};
const view = (sync: SyncRow[]) =>
  renderToStaticMarkup(<SyncReportView report={{ contextId: 'c1', checkedAt: '2026-12-04T10:05:00Z', rows: sync }} unitTitles={new Map([['unit-s', 'Serve customers']])} isBusy={false} onCheckAgain={ignore} onResyncCourse={ignore} onResyncUnit={ignore} onResyncRow={ignore} />);

describe('the gradebook sync screen', () => {
  it('names every state in words', () => {
    for (const state of SYNC_STATES) expect(SYNC_STATE_LABELS[state].label.length).toBeGreaterThan(5);
  });

  it('shows a hand-changed grade with both grades, and offers to send Attest’s again only on its own card', () => {
    const html = view([aRow({ state: 'changed_in_lms', heldScore: 60, canResync: true, explanation: 'Someone changed this grade by hand in the LMS gradebook.' }), aRow()]);
    const text = textOf(html);
    expect(text).toContain('Changed by hand in the LMS');
    expect(text).toContain('Attest’s grade 100 of 100');
    expect(text).toContain('Gradebook holds 60 of 100');
    expect(text).toContain('Send Attest’s grade again');
    // Nothing a bulk resync may repair: no course or unit resync offered.
    expect(text).not.toContain('Resync the course');
    expect(text).not.toContain('Resync this unit');
    expect(html).not.toContain('<table');
    expect(text).toContain('Serve customers');
  });

  it('offers the course and unit resync when a grade was lost', () => {
    const text = textOf(view([aRow({ state: 'missing_in_lms', heldScore: null, isRepairedByBulkResync: true, canResync: true })]));
    expect(text).toContain('Lost by the gradebook');
    expect(text).toContain('Gradebook holds No grade');
    expect(text).toContain('Resync the course');
    expect(text).toContain('Resync this unit');
  });

  it('sums the report up and says what a resync skipped', () => {
    const report = [aRow(), aRow({ state: 'missing_in_lms', isRepairedByBulkResync: true }), aRow({ state: 'cleared_in_lms' })];
    expect(summariseSync(report)).toBe('1 of 3 grades are in the gradebook as Attest sent them; 1 can be sent again; 1 changed in the LMS needs a person to decide.');
    expect(summariseSync([])).toBe('Attest has sent no grades in this course yet.');
    expect(describeResync({ queued: 1, skippedChangedByHand: 2, passbackIds: ['x'] })).toBe('1 grade is being sent again. 2 grades changed in the LMS were left as they are: resync those one at a time if Attest’s grade should replace them.');
    expect(describeResync({ queued: 0, skippedChangedByHand: 0, passbackIds: [] })).toBe('Nothing needed sending again.');
  });

  it('groups rows by unit, keeping the report’s order', () => {
    const a = aRow({ lineItemUrl: 'https://lms.example/lineitems/1' });
    const b = aRow({ lineItemUrl: 'https://lms.example/lineitems/2', unitId: 'unit-t' });
    const c = aRow({ lineItemUrl: 'https://lms.example/lineitems/1' });
    expect(groupByUnit([a, b, c]).map((g) => g.rows.map((r) => r.passbackId))).toEqual([[a.passbackId, c.passbackId], [b.passbackId]]);
  });
});
