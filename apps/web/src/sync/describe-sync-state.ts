import type { SyncRow, SyncState } from '@attest/contracts';

export type SyncTone = 'success' | 'pending' | 'error' | 'decide';

/** Each state's short name (the row's headline) and how it is shown; the server sends the longer explanation. */
export const SYNC_STATE_LABELS: Readonly<Record<SyncState, { label: string; tone: SyncTone }>> = {
  in_sync: { label: 'In the gradebook', tone: 'success' },
  pending: { label: 'Being sent', tone: 'pending' },
  failed: { label: 'Not accepted by the LMS', tone: 'error' },
  missing_in_lms: { label: 'Lost by the gradebook', tone: 'error' },
  changed_in_lms: { label: 'Changed by hand in the LMS', tone: 'decide' },
  overridden_in_lms: { label: 'A grader’s own grade is kept', tone: 'decide' },
  cleared_in_lms: { label: 'Removed in the LMS', tone: 'decide' },
  line_item_deleted: { label: 'Activity deleted in the LMS', tone: 'error' },
  not_checked: { label: 'Not checked', tone: 'pending' },
};

/** A grade on the 0–100 scale in words ("No grade" for none). */
export function describeScore(score: number | null): string {
  return score === null ? 'No grade' : `${Number(score.toFixed(2))} of 100`;
}

/** The report's rows by unit (line item), in the report's order, for one section per unit. */
export function groupByUnit(rows: readonly SyncRow[]): { lineItemUrl: string; unitId: string | null; rows: SyncRow[] }[] {
  const groups = new Map<string, { lineItemUrl: string; unitId: string | null; rows: SyncRow[] }>();
  for (const row of rows) {
    const group = groups.get(row.lineItemUrl) ?? { lineItemUrl: row.lineItemUrl, unitId: row.unitId, rows: [] };
    group.rows.push(row);
    groups.set(row.lineItemUrl, group);
  }
  return [...groups.values()];
}

/** One sentence for the summary: how many grades are in each state that needs someone, or that all are fine. */
export function summariseSync(rows: readonly SyncRow[]): string {
  if (rows.length === 0) return 'Attest has sent no grades in this course yet.';
  const toDecide = rows.filter((row) => SYNC_STATE_LABELS[row.state].tone === 'decide').length;
  const repairable = rows.filter((row) => row.isRepairedByBulkResync).length;
  const inSync = rows.filter((row) => row.state === 'in_sync').length;
  const parts = [`${inSync} of ${rows.length} ${rows.length === 1 ? 'grade is in the gradebook as Attest sent it' : 'grades are in the gradebook as Attest sent them'}`];
  if (repairable > 0) parts.push(`${repairable} can be sent again`);
  if (toDecide > 0) parts.push(`${toDecide} changed in the LMS ${toDecide === 1 ? 'needs' : 'need'} a person to decide`);
  return `${parts.join('; ')}.`;
}
