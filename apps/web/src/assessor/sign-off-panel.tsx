import { useEffect, useId, useState } from 'react';
import { ASSESSOR_UNIT_DECLARATION, AssessorProfileSchema, GradeStatusSchema, SignOffStateSchema, type AssessorProfile, type GradeStatus, type RecordedSignature, type SignOffState } from '@attest/contracts';
import type { Verdict } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/use-api-resource.ts';
import { describeGradeStatus } from './describe-grade-status.ts';
import { describeSignOffStage, gateOfRefusal, signOffAvailability } from './describe-gate.ts';
import { describeSignature } from './record-list.tsx';

/** The chain as the seeds' unit sign-off block prints it: candidate, assessor, countersignature. */
export function SignatureChain({ state }: { state: Pick<SignOffState, 'candidate' | 'assessor' | 'countersignature' | 'isCountersignatureRequired'> }) {
  const line = (signature: RecordedSignature | null, waiting: string) => (signature === null ? waiting : describeSignature(signature));
  return (
    <dl className="record-facts signature-chain">
      <div>
        <dt>Candidate declaration</dt>
        <dd>{line(state.candidate, 'Not signed yet')}</dd>
      </div>
      <div>
        <dt>Assessor</dt>
        <dd>{line(state.assessor, 'Not signed yet')}</dd>
      </div>
      {state.isCountersignatureRequired || state.countersignature !== null ? (
        <div>
          <dt>Countersignature by a qualified assessor</dt>
          <dd>{line(state.countersignature, 'Required, not signed yet')}</dd>
        </div>
      ) : null}
    </dl>
  );
}

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

type Action = { status: 'idle' } | { status: 'saving' } | { status: 'error'; message: string };

/**
 * The signature chain and the assessor's sign-off. The button stays disabled while the engine says
 * the unit is not met, and the blocking rules are listed beside it in plain English.
 */
export function SignOffPanel({ api, learnerUserId, userId, profile, verdict, state, reportVersion, onChanged, pollDelaysMs = [1000, 2000, 3000, 5000] }: SignOffPanelProps) {
  const id = useId();
  const [isDeclared, setDeclared] = useState(false);
  const [action, setAction] = useState<Action>({ status: 'idle' });
  const [grade, setGrade] = useState<GradeStatus>(state.grade);
  const [gate, setGate] = useState(state.gate);
  const [qualification, setQualification] = useState(profile?.qualification ?? null);
  useEffect(() => setQualification(profile?.qualification ?? null), [profile]);
  const availability = signOffAvailability({ ...state, gate }, verdict, reportVersion);
  const base = `/api/assessor/learners/${encodeURIComponent(learnerUserId)}`;
  useEffect(() => setGrade(state.grade), [state.grade]);
  useEffect(() => setGate(state.gate), [state.gate]);

  // A pending grade is on the durable queue; polling only keeps the line on screen current.
  useEffect(() => {
    if (grade.state !== 'pending') return;
    let isCurrent = true;
    let poll = 0;
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      timer = setTimeout(() => {
        api.get(`${base}/grade-status`, GradeStatusSchema).then(
          (status) => {
            if (!isCurrent) return;
            setGrade(status);
            poll += 1;
            if (status.state === 'pending' && poll < 30) next();
          },
          () => undefined,
        );
      }, pollDelaysMs[Math.min(poll, pollDelaysMs.length - 1)] ?? 5000);
    };
    next();
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [api, base, grade.state, pollDelaysMs]);

  async function send(path: 'sign-off' | 'countersign') {
    if (action.status === 'saving') return;
    if (!isDeclared) return setAction({ status: 'error', message: 'Tick the declaration first: your signature confirms it.' });
    setAction({ status: 'saving' });
    try {
      const body = path === 'sign-off' ? { reportVersion, declaration: ASSESSOR_UNIT_DECLARATION } : { declaration: ASSESSOR_UNIT_DECLARATION };
      const next = await api.post(`${base}/${path}`, body, SignOffStateSchema);
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

  // Attest cannot check assessor awards; an assessor declares themselves not yet qualified, and
  // only an administrator can lift it, so their sign-offs then wait for a countersignature.
  async function markNotYetQualified() {
    if (action.status === 'saving') return;
    setAction({ status: 'saving' });
    try {
      const next = await api.put('/api/assessor/me/qualification', { qualification: 'not-yet-qualified' }, AssessorProfileSchema);
      setQualification(next.qualification);
      setAction({ status: 'idle' });
    } catch (error) {
      setAction({ status: 'error', message: asApiRequestError(error).message });
    }
  }

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
      <p className={`grade-line grade-${gradeLine.tone}`} role="status">
        {gradeLine.text}
      </p>

      {state.assessor === null ? (
        <>
          {qualification === 'not-yet-qualified' ? <p className="notice">You are marked as not yet qualified: your sign-off will need a countersignature by a qualified assessor.</p> : null}
          {qualification === 'qualified' ? (
            <p className="hint">
              Not yet a qualified assessor?{' '}
              <button type="button" className="button button-secondary button-small" aria-disabled={action.status === 'saving'} onClick={() => void markNotYetQualified()}>
                Mark me as not yet qualified
              </button>{' '}
              Your sign-offs will then need a countersignature; only an administrator can undo this.
            </p>
          ) : null}
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
            <button type="button" className="button" disabled={!availability.canSign} aria-describedby={availability.canSign ? undefined : `${id}-blocking`} aria-disabled={action.status === 'saving'} onClick={() => void send('sign-off')}>
              Sign off the unit
            </button>
            <p role="status" className="save-status">
              {action.status === 'saving' ? 'Signing…' : ''}
            </p>
          </div>
        </>
      ) : null}

      {canCountersign ? (
        <>
          <p>This sign-off was made by an assessor marked as not yet qualified. A qualified assessor countersigns it here.</p>
          {declaration}
          <div className="form-actions">
            <button type="button" className="button" aria-disabled={action.status === 'saving'} onClick={() => void send('countersign')}>
              Countersign the unit
            </button>
            <p role="status" className="save-status">
              {action.status === 'saving' ? 'Signing…' : ''}
            </p>
          </div>
        </>
      ) : null}
      {state.stage === 'awaiting-countersignature' && isSignedByMe ? <p className="hint">Waiting for a qualified assessor to countersign.</p> : null}

      <div role="alert" className="alert-slot">
        {action.status === 'error' ? <p className="form-error">Not signed: {action.message}</p> : null}
      </div>
    </div>
  );
}
