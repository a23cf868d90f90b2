import { useId, useState } from 'react';
import { apiRoutes, CANDIDATE_UNIT_DECLARATION, type AssessmentActionPlan, type LearnerAssessment } from '@attest/contracts';
import { describeNextStep, getAssessmentMethod } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { RecordList } from '../assessor/record-list.tsx';
import { ReportSummary } from '../assessor/report-summary.tsx';
import { SignatureChain, WithdrawnSignatures } from '../assessor/signature-chain.tsx';
import { formatDate } from './feedback-list.tsx';

/**
 * What the assessor has planned and recorded for the learner, and the unit's signature chain with
 * the candidate's declaration. Loaded after the unit page, so the learner's first screen does not wait.
 */
export function LearnerAssessmentSection({ api, onDeclared }: { api: ApiClient; onDeclared?: () => void }) {
  const id = useId();
  const [assessment, retry] = useApiQuery(queryKeys.learnerAssessment, () => api.call(apiRoutes.getLearnerAssessment, {}));
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Your assessment</h2>
      {assessment.status === 'loading' ? <LoadingState label="Loading your assessment…" /> : null}
      {assessment.status === 'error' ? <ErrorState title="Your assessment could not be loaded" error={assessment.error} onRetry={retry} /> : null}
      {assessment.status === 'ready' ? <LearnerAssessmentView api={api} initial={assessment.data} {...(onDeclared === undefined ? {} : { onDeclared })} /> : null}
    </section>
  );
}

/** Exported for render tests. */
export function LearnerAssessmentView({ api, initial, onDeclared }: { api: ApiClient; initial: LearnerAssessment; onDeclared?: () => void }) {
  const [assessment, setAssessment] = useState(initial);
  return (
    <>
      <h3>Action plan</h3>
      {assessment.actionPlan === null ? <p>Your assessor has not written an action plan yet.</p> : <ActionPlanSummary plan={assessment.actionPlan} />}
      <h3>Assessment records</h3>
      <RecordList api={null} unit={null} records={assessment.records.filter((r) => r.signature !== null && r.supersededBy === null)} learnerUserId="" currentUserId={null} onChanged={null} onCorrect={null} />
      {assessment.report === null ? null : <ReportSummary report={assessment.report} />}
      <h3>Sign-off</h3>
      <p>
        <strong>Next step:</strong> {describeNextStep(assessment.nextStep)}
      </p>
      <SignatureChain state={assessment.signOff} />
      <WithdrawnSignatures withdrawn={assessment.signOff.withdrawn} />
      {assessment.signOff.candidate === null ? <CandidateDeclaration api={api} onSigned={(signOff) => {
            setAssessment((current) => ({ ...current, signOff: { ...current.signOff, ...signOff } }));
            onDeclared?.();
          }} onReload={(next) => setAssessment(next)} /> : null}
    </>
  );
}

function ActionPlanSummary({ plan }: { plan: AssessmentActionPlan }) {
  const p = plan.plan;
  return (
    <dl className="record-facts">
      <div>
        <dt>Evidence assessed by</dt>
        <dd>{p.plannedMethods.map((m) => `${getAssessmentMethod(m.method).labels[0]}${m.notes === '' ? '' : ` (${m.notes})`}`).join('; ')}</dd>
      </div>
      {p.venue === '' ? null : (
        <div>
          <dt>Venue</dt>
          <dd>{p.venue}</dd>
        </div>
      )}
      {p.dates.length === 0 ? null : (
        <div>
          <dt>Dates</dt>
          <dd>{p.dates.map((d) => `${formatDate(d.date)}${d.time === null ? '' : ` ${d.time}`}${d.activity === '' ? '' : `: ${d.activity}`}`).join('; ')}</dd>
        </div>
      )}
      {p.evidenceRequirements === '' ? null : (
        <div>
          <dt>Action plan and evidence requirements</dt>
          <dd>{p.evidenceRequirements}</dd>
        </div>
      )}
      {p.feedbackArrangements === '' ? null : (
        <div>
          <dt>Feedback arrangements</dt>
          <dd>{p.feedbackArrangements}</dd>
        </div>
      )}
      <div>
        <dt>Last updated</dt>
        <dd>
          {formatDate(plan.updatedAt)}
          {plan.updatedByName === null ? '' : ` by ${plan.updatedByName}`}
        </dd>
      </div>
    </dl>
  );
}

/** The candidate's unit declaration (seed 000's sign-off block), signed once. */
function CandidateDeclaration({ api, onSigned, onReload }: { api: ApiClient; onSigned: (signOff: LearnerAssessment['signOff']) => void; onReload: (assessment: LearnerAssessment) => void }) {
  const id = useId();
  const [isDeclared, setDeclared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  async function sign() {
    if (isSending) return;
    if (!isDeclared) return setError('Tick the declaration to sign it.');
    setError(null);
    setSending(true);
    try {
      onSigned(await api.call(apiRoutes.declareCandidateWork, { body: { declaration: CANDIDATE_UNIT_DECLARATION } }));
      // The next step moves on with the declaration. The signature is stored and shown already, so a
      // failed reload is no error to report: the step is brought up to date on the next visit.
      const reloaded = await api.call(apiRoutes.getLearnerAssessment, {}).catch(() => null);
      if (reloaded !== null) onReload(reloaded);
    } catch (failure) {
      setError(asApiRequestError(failure).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="form-section">
      <div className="choice">
        <input id={`${id}-declare`} type="checkbox" checked={isDeclared} aria-invalid={error !== null && !isDeclared} aria-describedby={error === null ? undefined : `${id}-error`} onChange={(e) => setDeclared(e.target.checked)} />
        <label htmlFor={`${id}-declare`}>{CANDIDATE_UNIT_DECLARATION}</label>
      </div>
      <div className="form-actions">
        <button type="button" className="button" aria-disabled={isSending} onClick={() => void sign()}>
          Sign the candidate declaration
        </button>
      </div>
      <div role="alert" className="alert-slot">
        {error === null ? null : (
          <p className="form-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
