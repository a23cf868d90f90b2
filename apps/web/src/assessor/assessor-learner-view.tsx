import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRoutes, type AssessorEvidenceItem, type AssessorPortfolio, type AssessorProfile, type AssessorRecord, type EvidenceMappingTarget } from '@attest/contracts';
import { describeNextStep } from '@attest/standards';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { buildMissingList, summariseProgress } from '../portfolio/build-missing-list.ts';
import { buildRecordingGrid, describeMappings, labelItems, orderItems } from '../portfolio/build-recording-grid.ts';
import { FeedbackList, formatDate } from '../portfolio/feedback-list.tsx';
import { MissingList } from '../portfolio/missing-list.tsx';
import { todayIso } from '../portfolio/preview-verdict.ts';
import { RecordingGridView } from '../portfolio/recording-grid-view.tsx';
import { ActionPlanEditor } from './action-plan-editor.tsx';
import { FeedbackComposer } from './feedback-composer.tsx';
import { JudgeItemView } from './judge-item-view.tsx';
import { emptyRecordForm, recordFormFromContent, type RecordForm } from './record-form.ts';
import { RecordFormView } from './record-form-view.tsx';
import { RecordList } from './record-list.tsx';
import { ReportEditor } from './report-editor.tsx';
import { SignOffPanel } from './sign-off-panel.tsx';
import { UnitHistory } from './unit-history.tsx';
import { WitnessList } from './witness-list.tsx';

export interface AssessorLearnerViewProps {
  api: ApiClient;
  unit: Unit;
  learnerUserId: string;
  /** The name the caseload showed, until the portfolio says otherwise. */
  learnerName: string;
  /** The launching assessor's user id. */
  userId: string;
  /** Opened from the queue: go straight to this item. */
  initialItemId: string | null;
  onBack: () => void;
}

/** Loads a learner's portfolio as the assessor sees it, and the assessor's own profile. */
export function AssessorLearnerView(props: AssessorLearnerViewProps) {
  const { api, learnerUserId } = props;
  const [portfolio, retry] = useApiQuery(queryKeys.assessorPortfolio(learnerUserId), () => getAssessorPortfolio(api, learnerUserId));
  const [profile] = useApiQuery(queryKeys.assessorMe, () => api.call(apiRoutes.getAssessorProfile, {}));
  // The profile decides what sits above the sign-off declaration (the "not yet qualified" offer), so
  // the page waits for its answer (or its failure) too: drawn earlier, the declaration would move
  // under a finger or a click already on its way (a browser test's click once landed beside it).
  if (portfolio.status === 'ready' && profile.status !== 'loading') return <LearnerAssessment {...props} profile={profile.status === 'ready' ? profile.data : null} />;
  return (
    <main className="page" id="main">
      <p>
        <button type="button" className="button button-secondary" onClick={props.onBack}>
          Back to the caseload
        </button>
      </p>
      <h1>{props.learnerName}</h1>
      {portfolio.status !== 'error' ? <LoadingState label="Loading the learner’s portfolio…" /> : <ErrorState title="The learner’s portfolio could not be loaded" error={portfolio.error} onRetry={retry} />}
    </main>
  );
}

const getAssessorPortfolio = (api: ApiClient, learnerUserId: string) => api.call(apiRoutes.getAssessorPortfolio, { params: { userId: learnerUserId } });

type RecordDraft = { key: number; form: RecordForm; targets: EvidenceMappingTarget[]; supersedes: AssessorRecord | null; editing: AssessorRecord | null };

function LearnerAssessment({ api, unit, learnerUserId, learnerName, userId, initialItemId, onBack, profile }: AssessorLearnerViewProps & { profile: AssessorProfile | null }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const queryClient = useQueryClient();
  const key = queryKeys.assessorPortfolio(learnerUserId);
  // Rendered only once the portfolio is in the cache (AssessorLearnerView), so `data` is there.
  const query = useQuery({ queryKey: key, queryFn: () => getAssessorPortfolio(api, learnerUserId) });
  const portfolio = query.data as AssessorPortfolio;
  // A write's reply shows at once; the refetch that follows brings the verdict and gate it changed.
  const setPortfolio = useCallback((update: (current: AssessorPortfolio) => AssessorPortfolio) => queryClient.setQueryData<AssessorPortfolio>(key, (current) => (current === undefined ? current : update(current))), [queryClient, key]);
  const [itemId, setItemId] = useState<string | null>(initialItemId);
  const [hasReturned, setReturned] = useState(false);
  const [draft, setDraft] = useState<RecordDraft | null>(null);
  const refreshError = query.isRefetchError ? asApiRequestError(query.error).message : null;
  const [announcement, setAnnouncement] = useState('');
  // The record form replaces the add button; once it closes, focus goes back to that button.
  const addRecord = useRef<HTMLButtonElement>(null);
  const [hasClosedForm, setClosedForm] = useState(false);
  useEffect(() => {
    if (hasClosedForm && draft === null) addRecord.current?.focus();
  }, [hasClosedForm, draft]);
  const today = todayIso(new Date());
  const name = portfolio.learner.name ?? learnerName;

  useEffect(() => {
    if (hasReturned && itemId === null) heading.current?.focus();
  }, [hasReturned, itemId]);

  // Every write is in the unit's history: an open history reads again, a closed one when next opened.
  const historyChanged = useCallback(() => queryClient.invalidateQueries({ queryKey: queryKeys.learnerHistory(learnerUserId) }), [queryClient, learnerUserId]);
  // Every write can change the verdict and the gate, so the server's view is fetched again after it;
  // a newer write's refetch cancels an older one's, so the last answer is the newest.
  const refresh = useCallback(() => Promise.all([queryClient.invalidateQueries({ queryKey: key }), historyChanged()]), [queryClient, key, historyChanged]);

  const items = orderItems(portfolio.items);
  const labels = labelItems(items);
  const banner = refreshError === null ? null : <p className="notice" role="alert">Saved, but the learner’s latest state could not be loaded: {refreshError}</p>;

  const open = items.find((item) => item.id === itemId);
  if (open !== undefined) {
    return (
      <>
        {banner}
        <JudgeItemView
          key={open.id}
          api={api}
          unit={unit}
          item={open}
          label={labels.get(open.id) ?? ''}
          learnerName={name}
          onJudged={(item: AssessorEvidenceItem) => {
            setPortfolio((current) => ({ ...current, items: current.items.map((i) => (i.id === item.id ? item : i)) }));
            void refresh();
          }}
          onBack={() => {
            setItemId(null);
            setReturned(true);
          }}
        />
      </>
    );
  }

  const progress = summariseProgress(portfolio.verdict);
  const grid = buildRecordingGrid(unit, items, portfolio.verdict);
  const unitLabel = unit.codes.length > 0 ? `Unit ${unit.codes.join(' / ')}` : unit.title;
  const closeForm = () => {
    setDraft(null);
    setClosedForm(true);
  };
  const recordSaved = (record: AssessorRecord) => {
    closeForm();
    setPortfolio((current) => ({ ...current, records: current.records.some((r) => r.id === record.id) ? current.records.map((r) => (r.id === record.id ? record : r)) : [...current.records, record] }));
    setAnnouncement(record.signature === null ? 'Record saved as a draft.' : 'Record saved and signed.');
    void refresh();
  };

  return (
    <>
      {banner}
      <main className="page" id="main">
        <p>
          <button type="button" className="button button-secondary" onClick={onBack}>
            Back to the caseload
          </button>
        </p>
        <p className="eyebrow">
          {unitLabel}: {unit.title}
        </p>
        <h1 ref={heading} tabIndex={-1}>
          {name}
        </h1>

        <section aria-labelledby={`${id}-progress`}>
          <h2 id={`${id}-progress`}>Progress</h2>
          <label htmlFor={`${id}-meter`} className="progress-label">
            {progress.met} of {progress.total} statements met
          </label>
          <progress id={`${id}-meter`} className="progress" max={Math.max(progress.total, 1)} value={progress.met} aria-describedby={`${id}-progress-detail`} />
          <p id={`${id}-progress-detail`} className="hint">
            {progress.met} met, {progress.assessed} assessed, {progress.total} in total.
          </p>
          <p>
            <strong>Next step:</strong> {describeNextStep(portfolio.nextStep)}
          </p>
        </section>

        <MissingList missing={buildMissingList(portfolio.verdict, labels, unit)} heading="What is still missing" isForAssessor />

        <section aria-labelledby={`${id}-evidence`}>
          <h2 id={`${id}-evidence`}>Learner’s evidence</h2>
          {items.length === 0 ? <p>The learner has no evidence yet.</p> : null}
          <ul className="evidence-list">
            {items.map((item) => {
              const pending = item.mappings.filter((m) => m.unitId === unit.id && m.decision === 'pending').length;
              return (
                <li key={item.id} className="card">
                  <h3 className="card-title">
                    {labels.get(item.id)}: {item.title}
                  </h3>
                  <p className="hint">
                    {item.method} · {formatDate(item.activityDate)} · {item.state === 'submitted' && item.submittedAt !== null ? `Submitted ${formatDate(item.submittedAt)}` : 'Draft'} · {item.files.length === 1 ? '1 file' : `${item.files.length} files`} · {describeMappings(item.mappings)}
                    {pending > 0 && item.state === 'submitted' ? ' · awaiting your decision' : ''}
                  </p>
                  <button type="button" className="button button-secondary" aria-label={`Assess ${labels.get(item.id) ?? ''}: ${item.title}`} onClick={() => setItemId(item.id)}>
                    Assess {labels.get(item.id)}
                  </button>
                </li>
              );
            })}
          </ul>
        </section>

        <RecordingGridView grid={grid} unitTitle={unit.title} isForAssessor />

        <section aria-labelledby={`${id}-records`}>
          <h2 id={`${id}-records`}>Assessment records</h2>
          <p className="hint">Your own evidence: observations, questioning, professional discussions, witness testimony and prior achievement. Signed records cannot change; a correction is a new record linked to the old one.</p>
          <RecordList
            api={api}
            unit={unit}
            records={portfolio.records}
            learnerUserId={learnerUserId}
            currentUserId={userId}
            onChanged={(record) => {
              setPortfolio((current) => ({ ...current, records: current.records.map((r) => (r.id === record.id ? record : r)) }));
              setAnnouncement('Record signed.');
              void refresh();
            }}
            onCorrect={(record) => setDraft({ key: Date.now(), form: recordFormFromContent(record.content, today), targets: record.targets.map(({ unitId, target, ref }) => ({ unitId, target, ref })), supersedes: record, editing: null })}
            onEdit={(record) => setDraft({ key: Date.now(), form: recordFormFromContent(record.content, today), targets: record.targets.map(({ unitId, target, ref }) => ({ unitId, target, ref })), supersedes: null, editing: record })}
          />
          <p role="status" className="status-slot">
            {announcement}
          </p>
          {draft === null ? (
            <p>
              <button type="button" ref={addRecord} className="button" onClick={() => setDraft({ key: Date.now(), form: emptyRecordForm('observation', today, unitLabel), targets: [], supersedes: null, editing: null })}>
                Add an assessment record
              </button>
            </p>
          ) : (
            <RecordFormView key={draft.key} api={api} unit={unit} learnerUserId={learnerUserId} items={items} initial={draft.form} initialTargets={draft.targets} supersedes={draft.supersedes} editing={draft.editing} today={today} onSaved={recordSaved} onCancel={closeForm} />
          )}
        </section>

        <section aria-labelledby={`${id}-witnesses`}>
          <h2 id={`${id}-witnesses`}>Witness status list</h2>
          <WitnessList witnesses={portfolio.witnesses} />
        </section>

        <section aria-labelledby={`${id}-plan`}>
          <h2 id={`${id}-plan`}>Action plan</h2>
          <ActionPlanEditor api={api} learnerUserId={learnerUserId} plan={portfolio.actionPlan} onSaved={(actionPlan) => {
              setPortfolio((current) => ({ ...current, actionPlan }));
              void historyChanged();
            }}
          />
        </section>

        <section aria-labelledby={`${id}-feedback`}>
          <h2 id={`${id}-feedback`}>Feedback to the candidate</h2>
          <FeedbackList feedback={portfolio.unitFeedback} emptyText="No feedback on the unit yet." />
          <FeedbackComposer api={api} learnerUserId={learnerUserId} onSent={(feedback) => {
              setPortfolio((current) => ({ ...current, unitFeedback: [...current.unitFeedback, feedback] }));
              void historyChanged();
            }}
          />
        </section>

        <section aria-labelledby={`${id}-report`}>
          <h2 id={`${id}-report`}>Assessment report</h2>
          <ReportEditor
            api={api}
            learnerUserId={learnerUserId}
            report={portfolio.report}
            onSaved={(report) => {
              setPortfolio((current) => ({ ...current, report }));
              void refresh();
            }}
          />
        </section>

        <section aria-labelledby={`${id}-sign-off`}>
          <h2 id={`${id}-sign-off`}>Sign-off</h2>
          <SignOffPanel
            api={api}
            learnerUserId={learnerUserId}
            userId={userId}
            profile={profile}
            verdict={portfolio.verdict}
            state={portfolio.signOff}
            reportVersion={portfolio.report?.version ?? null}
            onChanged={(signOff) => {
              setPortfolio((current) => ({ ...current, signOff }));
              void refresh();
            }}
          />
        </section>

        <section aria-labelledby={`${id}-history`}>
          <h2 id={`${id}-history`}>History</h2>
          <UnitHistory api={api} learnerUserId={learnerUserId} />
        </section>
      </main>
    </>
  );
}
