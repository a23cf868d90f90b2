import { useEffect, useId, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiRoutes, ASSESSOR_UNIT_DECLARATION, type AssessorProfile, type GradeStatus, type SignOffState } from '@attest/contracts';
import type { Verdict } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys } from '../api/api-query.ts';
import { describeGradeStatus } from './describe-grade-status.ts';
import { describeSignOffStage, gateOfRefusal, signOffAvailability } from './describe-gate.ts';
import { SignatureChain, WithdrawnSignatures } from './signature-chain.tsx';
import { ConfirmIrreversible } from '../components/confirm-irreversible.tsx';

export type ReopenStep = { step: 'closed' } | { step: 'reason'; reason: string; error: string | null } | { step: 'confirm'; reason: string };

/** The reason is required: the withdrawal is recorded with it, and the learner's grade goes. */
export function nextReopenStep(current: ReopenStep): ReopenStep {
  if (current.step !== 'reason') return current;
  const reason = current.reason.trim();
  if (reason === '') return { ...current, error: 'Say why the unit is reopened: the reason is kept with the withdrawn signatures.' };
  return { step: 'confirm', reason };
}

export const REOPEN_CONFIRMATION =
  'Reopening withdraws the assessor’s sign-off, the candidate’s declaration and any countersignature. The learner’s grade in the LMS will be cleared (Canvas shows the submission as needing grading again), and the learner can change their evidence until the unit is signed off again.';

/** Exported for render tests: the reopen action in its three steps (offered, reason, confirmation). */
export function ReopenUnitForm({ state, isBusy, onChange, onConfirm }: { state: ReopenStep; isBusy: boolean; onChange: (next: ReopenStep) => void; onConfirm: (reason: string) => void }) {
  const id = useId();
  if (state.step === 'closed') {
    return (
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => onChange({ step: 'reason', reason: '', error: null })}>
          Reopen this unit
        </button>
      </div>
    );
  }
  if (state.step === 'reason') {
    return (
      <form
        className="reopen-unit"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onChange(nextReopenStep(state));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-reason`}>Why is this unit reopened?</label>
          <textarea id={`${id}-reason`} rows={3} maxLength={2000} required value={state.reason} aria-invalid={state.error !== null} aria-describedby={state.error === null ? undefined : `${id}-error`} onChange={(event) => onChange({ step: 'reason', reason: event.target.value, error: null })} />
          {state.error === null ? null : (
            <p className="field-error" id={`${id}-error`}>
              {state.error}
            </p>
          )}
        </div>
        <div className="form-actions">
          <button type="submit" className="button">
            Continue
          </button>
          <button type="button" className="button button-secondary" onClick={() => onChange({ step: 'closed' })}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <div className="reopen-unit" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-words`}>
      <h3 id={`${id}-title`}>Reopen this unit and clear the learner’s grade?</h3>
      <p id={`${id}-words`}>{REOPEN_CONFIRMATION}</p>
      <p>Reason: “{state.reason}”</p>
      <div className="form-actions">
        <button type="button" className="button" aria-disabled={isBusy} onClick={() => !isBusy && onConfirm(state.reason)}>
          Reopen and clear the grade
        </button>
        <button type="button" className="button button-secondary" onClick={() => onChange({ step: 'closed' })}>
          Keep it signed off
        </button>
      </div>
    </div>
  );
}

/** What each irreversible act of the panel asks before it is done (issue 11 item 9). */
const CONFIRMATIONS = {
  'sign-off': {
    title: 'Sign off this unit?',
    words: 'Your signature is final. The evidence the unit rests on locks for the learner and for you, and the completion goes to the LMS gradebook. Only a reopening, with its reason recorded, can change it.',
    confirmLabel: 'Yes, sign off the unit',
    keepLabel: 'Not yet',
  },
  countersign: {
    title: 'Countersign this unit?',
    words: 'Your countersignature is final: it completes the sign-off, the evidence stays locked, and the completion goes to the LMS gradebook. Only a reopening, with its reason recorded, can change it.',
    confirmLabel: 'Yes, countersign the unit',
    keepLabel: 'Not yet',
  },
  'not-yet-qualified': {
    title: 'Mark yourself as not yet qualified?',
    words: 'You cannot undo this yourself: only an administrator can. Until then, every unit you sign off waits for a qualified assessor’s countersignature before it completes.',
    confirmLabel: 'Yes, mark me as not yet qualified',
    keepLabel: 'Cancel',
  },
} as const;

export interface SignOffPanelProps {
  api: ApiClient;
  learnerUserId: string;
  /** The launching assessor. */
  userId: string;
  profile: AssessorProfile | null;
  verdict: Verdict | null;
  state: SignOffState;
  reportVersion: number | null;
  onChanged: (state: SignOffState) => void;
  /** Delays between grade-status polls after a signature; tests pass short ones. */
  pollDelaysMs?: readonly number[];
}

type Action = { status: 'idle' } | { status: 'saving' } | { status: 'error'; message: string; prefix?: string };

/** Polls at most this often, then the line stays as it is until the page is read again. */
const MAX_GRADE_POLLS = 30;

/**
 * The grade line's status: the one the portfolio reported, polled while it is pending. A pending
 * grade is on the durable queue; polling only keeps the line on screen current. Keyed by the
 * reported status too, so a new sign-off's pending grade starts its own count of polls; a failed
 * poll stops them (the next read of the portfolio reports the grade again).
 */
export function useGradeStatus(learnerUserId: string, reported: GradeStatus, delaysMs: readonly number[], load: () => Promise<GradeStatus>): GradeStatus {
  const query = useQuery({
    queryKey: [...queryKeys.gradeStatus(learnerUserId), reported],
    queryFn: load,
    initialData: reported,
    // The reported status is current when it arrives: the first poll waits its delay like the others.
    staleTime: Infinity,
    enabled: reported.state === 'pending',
    refetchInterval: (query) => {
      const polls = query.state.dataUpdateCount;
      if (query.state.status === 'error' || query.state.data?.state !== 'pending' || polls >= MAX_GRADE_POLLS) return false;
      return delaysMs[Math.min(polls, delaysMs.length - 1)] ?? 5000;
    },
  });
  return query.data;
}

/**
 * The signature chain and the assessor's sign-off. The button stays disabled while the engine says
 * the unit is not met, and the blocking rules are listed beside it in plain English.
 */
export function SignOffPanel({ api, learnerUserId, userId, profile, verdict, state, reportVersion, onChanged, pollDelaysMs = [1000, 2000, 3000, 5000] }: SignOffPanelProps) {
  const id = useId();
  const [isDeclared, setDeclared] = useState(false);
  const [action, setAction] = useState<Action>({ status: 'idle' });
  const [gate, setGate] = useState(state.gate);
  const [qualification, setQualification] = useState(profile?.qualification ?? null);
  const [reopen, setReopen] = useState<ReopenStep>({ step: 'closed' });
  useEffect(() => setQualification(profile?.qualification ?? null), [profile]);
  const availability = signOffAvailability({ ...state, gate }, verdict, reportVersion);
  const grade = useGradeStatus(learnerUserId, state.grade, pollDelaysMs, () => api.call(apiRoutes.getGradeStatus, { params: { userId: learnerUserId } }));
  useEffect(() => setGate(state.gate), [state.gate]);


  async function send(path: 'sign-off' | 'countersign') {
    if (action.status === 'saving') return;
    if (!isDeclared) return setAction({ status: 'error', message: 'Tick the declaration first: your signature confirms it.' });
    setAction({ status: 'saving' });
    try {
      const params = { userId: learnerUserId };
      // The sign-off button is enabled only once a report is saved (signOffAvailability), so a null version never reaches here.
      const next = path === 'sign-off'
        ? await api.call(apiRoutes.signOffUnit, { params, body: { reportVersion: reportVersion ?? 0, declaration: ASSESSOR_UNIT_DECLARATION } })
        : await api.call(apiRoutes.countersignUnit, { params, body: { declaration: ASSESSOR_UNIT_DECLARATION } });
      setDeclared(false);
      setAction({ status: 'idle' });
      onChanged(next);
    } catch (error) {
      const failure = asApiRequestError(error);
      const refused = gateOfRefusal(failure);
      if (refused !== null) setGate(refused);
      setAction({ status: 'error', message: failure.message });
    }
  }

  async function reopenUnit(reason: string) {
    if (action.status === 'saving') return;
    setAction({ status: 'saving' });
    try {
      const next = await api.call(apiRoutes.reopenUnit, { params: { userId: learnerUserId }, body: { reason } });
      setReopen({ step: 'closed' });
      setAction({ status: 'idle' });
      onChanged(next);
    } catch (error) {
      setAction({ status: 'error', message: asApiRequestError(error).message, prefix: 'Not reopened' });
    }
  }

  // Attest cannot check assessor awards; an assessor declares themselves not yet qualified, and
  // only an administrator can lift it, so their sign-offs then wait for a countersignature.
  async function markNotYetQualified() {
    if (action.status === 'saving') return;
    setAction({ status: 'saving' });
    try {
      const next = await api.call(apiRoutes.setOwnQualification, { body: { qualification: 'not-yet-qualified' } });
      setQualification(next.qualification);
      setAction({ status: 'idle' });
    } catch (error) {
      setAction({ status: 'error', message: asApiRequestError(error).message });
    }
  }

  // The act waiting for its one confirmation, and the button to give focus back to if it is kept.
  const [confirming, setConfirming] = useState<'sign-off' | 'countersign' | 'not-yet-qualified' | null>(null);
  const askedFrom = useRef<HTMLButtonElement | null>(null);
  function ask(act: 'sign-off' | 'countersign' | 'not-yet-qualified', button: HTMLButtonElement) {
    askedFrom.current = button;
    setConfirming(act);
  }
  function keep() {
    setConfirming(null);
    askedFrom.current?.focus();
  }
  const confirmation = (act: 'sign-off' | 'countersign' | 'not-yet-qualified') =>
    confirming !== act ? null : (
      <ConfirmIrreversible
        {...CONFIRMATIONS[act]}
        isBusy={action.status === 'saving'}
        onConfirm={() => {
          setConfirming(null);
          void (act === 'not-yet-qualified' ? markNotYetQualified() : send(act));
        }}
        onKeep={keep}
      />
    );

  const gradeLine = describeGradeStatus(grade);
  const isSignedByMe = state.assessor?.userId === userId;
  const canCountersign = state.stage === 'awaiting-countersignature' && !isSignedByMe;
  const declaration = (
    <div className="choice">
      <input id={`${id}-declare`} type="checkbox" checked={isDeclared} onChange={(e) => setDeclared(e.target.checked)} />
      <label htmlFor={`${id}-declare`}>{ASSESSOR_UNIT_DECLARATION}</label>
    </div>
  );

  return (
    <div className="sign-off">
      <p className="state-line">
        <strong>{describeSignOffStage(state.stage)}</strong>
      </p>
      <SignatureChain state={state} />
      <WithdrawnSignatures withdrawn={state.withdrawn} />
      <p className={`grade-line grade-${gradeLine.tone}`} role="status">
        {gradeLine.text}
      </p>

      {state.assessor === null ? (
        <>
          {qualification === 'not-yet-qualified' ? <p className="notice">You are marked as not yet qualified: your sign-off will need a countersignature by a qualified assessor.</p> : null}
          {qualification === 'qualified' ? (
            <p className="hint">
              Not yet a qualified assessor?{' '}
              <button type="button" className="button button-secondary button-small" aria-disabled={action.status === 'saving'} aria-expanded={confirming === 'not-yet-qualified'} onClick={(event) => ask('not-yet-qualified', event.currentTarget)}>
                Mark me as not yet qualified
              </button>{' '}
              Your sign-offs will then need a countersignature; only an administrator can undo this.
            </p>
          ) : null}
          {confirmation('not-yet-qualified')}
          {availability.canSign ? null : (
            <div className="blocking" id={`${id}-blocking`}>
              <h3>Sign-off is not possible yet</h3>
              <ul className="plain-list" aria-label="Why sign-off is not possible yet">
                {availability.blocking.map((reason, index) => (
                  <li key={index}>{reason}</li>
                ))}
              </ul>
            </div>
          )}
          {declaration}
          <div className="form-actions">
            <button type="button" className="button" disabled={!availability.canSign} aria-describedby={availability.canSign ? undefined : `${id}-blocking`} aria-disabled={action.status === 'saving'} aria-expanded={confirming === 'sign-off'} onClick={(event) => ask('sign-off', event.currentTarget)}>
              Sign off the unit
            </button>
            <p role="status" className="save-status">
              {action.status === 'saving' ? 'Signing…' : ''}
            </p>
          </div>
          {confirmation('sign-off')}
        </>
      ) : null}

      {canCountersign ? (
        <>
          <p>This sign-off was made by an assessor marked as not yet qualified. A qualified assessor countersigns it here.</p>
          {declaration}
          <div className="form-actions">
            <button type="button" className="button" aria-disabled={action.status === 'saving'} aria-expanded={confirming === 'countersign'} onClick={(event) => ask('countersign', event.currentTarget)}>
              Countersign the unit
            </button>
            <p role="status" className="save-status">
              {action.status === 'saving' ? 'Signing…' : ''}
            </p>
          </div>
          {confirmation('countersign')}
        </>
      ) : null}
      {state.stage === 'awaiting-countersignature' && isSignedByMe ? <p className="hint">Waiting for a qualified assessor to countersign.</p> : null}
      {state.assessor === null ? null : <ReopenUnitForm state={reopen} isBusy={action.status === 'saving'} onChange={setReopen} onConfirm={(reason) => void reopenUnit(reason)} />}

      <div role="alert" className="alert-slot">
        {action.status === 'error' ? <p className="form-error">
            {action.prefix ?? 'Not signed'}: {action.message}
          </p> : null}
      </div>
    </div>
  );
}
