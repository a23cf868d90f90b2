import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiRoutes, type CourseSyncReport, type ResyncResult, type SyncRow } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { describeScore, groupByUnit, summariseSync, SYNC_STATE_LABELS } from './describe-sync-state.ts';

// The course's grades as Attest decided them and as the LMS gradebook holds them (issue 14,
// decision 22). A list of cards, not a table, so it reads at 375 px; every state in words.

type Action = { status: 'idle' } | { status: 'busy'; what: string } | { status: 'done'; message: string } | { status: 'error'; message: string };

/** What a resync did, in one sentence. */
export function describeResync(result: ResyncResult): string {
  const queued = result.queued === 0 ? 'Nothing needed sending again.' : result.queued === 1 ? '1 grade is being sent again.' : `${result.queued} grades are being sent again.`;
  if (result.skippedChangedByHand === 0) return queued;
  return `${queued} ${result.skippedChangedByHand === 1 ? '1 grade changed in the LMS was left as it is' : `${result.skippedChangedByHand} grades changed in the LMS were left as they are`}: resync those one at a time if Attest’s grade should replace them.`;
}

export function GradebookSyncScreen({ api, onBack }: { api: ApiClient; onBack: () => void }) {
  const queryClient = useQueryClient();
  const [report, retry] = useApiQuery(queryKeys.gradebookSync, () => api.call(apiRoutes.getCourseSync, {}));
  // Units are named from the catalogue (one read, cached with the picker's); until then their ids stand in.
  const [catalogue] = useApiQuery(queryKeys.catalogue, () => api.call(apiRoutes.getCatalogue, {}));
  const unitTitles = new Map(catalogue.status === 'ready' ? catalogue.data.map((unit) => [unit.id, unit.title] as const) : []);
  const [action, setAction] = useState<Action>({ status: 'idle' });

  const run = async (what: string, call: () => Promise<ResyncResult>) => {
    if (action.status === 'busy') return;
    setAction({ status: 'busy', what });
    try {
      const result = await call();
      setAction({ status: 'done', message: describeResync(result) });
    } catch (error) {
      setAction({ status: 'error', message: asApiRequestError(error).message });
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.gradebookSync });
  };

  return (
    <main className="page" id="main">
      <p>
        <button type="button" className="button button-secondary" onClick={onBack}>
          Back to the caseload
        </button>
      </p>
      <p className="eyebrow">Gradebook sync</p>
      <h1>Grades in the LMS gradebook</h1>
      <p className="hint">Each learner’s grade as Attest decided it, beside what the LMS gradebook holds now. Attest resends only grades the gradebook lost or refused; a grade someone changed in the LMS stays as they set it.</p>
      <p role="status" className="save-status">
        {action.status === 'busy' ? `${action.what}…` : action.status === 'done' ? action.message : ''}
      </p>
      {action.status === 'error' ? (
        <p className="field-error" role="alert">
          {action.message}
        </p>
      ) : null}
      {report.status === 'loading' ? <LoadingState label="Reading the gradebook…" /> : null}
      {report.status === 'error' ? <ErrorState title="The gradebook could not be compared" error={report.error} onRetry={retry} /> : null}
      {report.status === 'ready' ? (
        <SyncReportView
          report={report.data}
          unitTitles={unitTitles}
          isBusy={action.status === 'busy'}
          onCheckAgain={retry}
          onResyncCourse={() => void run('Sending again', () => api.call(apiRoutes.resyncCourse, { body: { confirm: true } }))}
          onResyncUnit={(lineItemUrl) => void run('Sending this unit’s grades again', () => api.call(apiRoutes.resyncUnit, { body: { lineItemUrl } }))}
          onResyncRow={(row) => void run(`Sending ${row.learnerName ?? 'the learner'}’s grade again`, () => api.call(apiRoutes.resyncRow, { params: { passbackId: row.passbackId }, body: { confirm: true } }))}
        />
      ) : null}
    </main>
  );
}

export interface SyncReportViewProps {
  report: CourseSyncReport;
  /** Unit id → title, for the section headings. */
  unitTitles: ReadonlyMap<string, string>;
  isBusy: boolean;
  onCheckAgain: () => void;
  onResyncCourse: () => void;
  onResyncUnit: (lineItemUrl: string) => void;
  onResyncRow: (row: SyncRow) => void;
}

/** Exported for render tests: the summary, the course-wide resync with its confirmation, one section per unit. */
export function SyncReportView({ report, unitTitles, isBusy, onCheckAgain, onResyncCourse, onResyncUnit, onResyncRow }: SyncReportViewProps) {
  const id = useId();
  const [isConfirming, setConfirming] = useState(false);
  const repairable = report.rows.filter((row) => row.isRepairedByBulkResync).length;
  return (
    <>
      <p>{summariseSync(report.rows)}</p>
      <p className="hint">Checked {formatDate(report.checkedAt)}.</p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" aria-disabled={isBusy} onClick={() => !isBusy && onCheckAgain()}>
          Check again
        </button>
        {repairable > 0 && !isConfirming ? (
          <button type="button" className="button" aria-disabled={isBusy} onClick={() => !isBusy && setConfirming(true)}>
            Resync the course
          </button>
        ) : null}
      </div>
      {isConfirming ? (
        <div className="reopen-unit" role="alertdialog" aria-labelledby={`${id}-confirm-title`} aria-describedby={`${id}-confirm-words`}>
          <h2 id={`${id}-confirm-title`}>Send the course’s lost and refused grades again?</h2>
          <p id={`${id}-confirm-words`}>
            {repairable === 1 ? '1 grade' : `${repairable} grades`} will be sent to the gradebook again, each as Attest last decided it. Grades changed, removed or kept by hand in the LMS are left as they are.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button"
              aria-disabled={isBusy}
              onClick={() => {
                if (isBusy) return;
                setConfirming(false);
                onResyncCourse();
              }}
            >
              Send them again
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {groupByUnit(report.rows).map((group) => (
        <UnitSection key={group.lineItemUrl} group={group} title={(group.unitId === null ? undefined : unitTitles.get(group.unitId)) ?? group.unitId ?? 'A unit Attest placed'} isBusy={isBusy} onResyncUnit={onResyncUnit} onResyncRow={onResyncRow} />
      ))}
    </>
  );
}

function UnitSection({ group, title, isBusy, onResyncUnit, onResyncRow }: { group: ReturnType<typeof groupByUnit>[number]; title: string; isBusy: boolean; onResyncUnit: (lineItemUrl: string) => void; onResyncRow: (row: SyncRow) => void }) {
  const id = useId();
  const repairable = group.rows.filter((row) => row.isRepairedByBulkResync).length;
  return (
    <section aria-labelledby={`${id}-unit`}>
      <h2 id={`${id}-unit`}>{title}</h2>
      {repairable > 0 ? (
        <p>
          <button type="button" className="button button-secondary button-small" aria-disabled={isBusy} onClick={() => !isBusy && onResyncUnit(group.lineItemUrl)}>
            Resync this unit<span className="visually-hidden"> ({title})</span>
          </button>
        </p>
      ) : null}
      <ul className="card-list">
        {group.rows.map((row) => (
          <SyncRowCard key={row.passbackId} row={row} isBusy={isBusy} onResync={onResyncRow} />
        ))}
      </ul>
    </section>
  );
}

function SyncRowCard({ row, isBusy, onResync }: { row: SyncRow; isBusy: boolean; onResync: (row: SyncRow) => void }) {
  const name = row.learnerName ?? `User ${row.learnerUserId}`;
  const { label, tone } = SYNC_STATE_LABELS[row.state];
  const isHandChange = tone === 'decide';
  return (
    <li className="card sync-row" data-state={row.state}>
      <h3 className="card-title">{name}</h3>
      <p className={`grade-line sync-${tone}`}>{label}</p>
      <p>{row.explanation}</p>
      <dl className="facts">
        <div>
          <dt>Attest’s grade</dt>
          <dd>{describeScore(row.expectedScore)}</dd>
        </div>
        <div>
          <dt>Gradebook holds</dt>
          <dd>{row.state === 'line_item_deleted' || row.state === 'not_checked' ? 'Unknown' : describeScore(row.heldScore)}</dd>
        </div>
        <div>
          <dt>Last sent</dt>
          <dd>{row.sentAt === null ? 'Not yet' : formatDate(row.sentAt)}</dd>
        </div>
      </dl>
      {row.lastError === null ? null : <p className="hint">LMS’s answer: {row.lastError}</p>}
      {row.canResync ? (
        <button type="button" className="button button-secondary button-small" aria-disabled={isBusy} aria-label={`${isHandChange ? 'Send Attest’s grade again' : 'Resync'}: ${name}`} onClick={() => !isBusy && onResync(row)}>
          {isHandChange ? 'Send Attest’s grade again' : 'Resync'}
        </button>
      ) : null}
    </li>
  );
}
