// The unit's signatures, read-only, for the assessor's sign-off panel and the learner's own view: in
// a module of their own so the learner's page does not load the assessor's sign-off panel with them.
import { useId } from 'react';
import type { RecordedSignature, SignOffState, WithdrawnSignature } from '@attest/contracts';
import { formatDate } from '../portfolio/feedback-list.tsx';
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

const roleWords = { candidate: 'Candidate declaration', assessor: 'Assessor’s sign-off', 'assessor-countersignature': 'Countersignature' } as const;

/** One withdrawn signature, as the record keeps it: what it was, who withdrew it, when and why. */
export function describeWithdrawal(signature: WithdrawnSignature): string {
  return `${roleWords[signature.role]}: ${describeSignature(signature)}. Withdrawn by ${signature.withdrawnByName ?? `user ${signature.withdrawnByUserId}`} on ${formatDate(signature.withdrawnAt)}: “${signature.reason}”`;
}

/** Signatures withdrawn when the unit was reopened: never hidden, always marked withdrawn. */
export function WithdrawnSignatures({ withdrawn }: { withdrawn: readonly WithdrawnSignature[] }) {
  const id = useId();
  if (withdrawn.length === 0) return null;
  return (
    <section className="withdrawn-signatures" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Withdrawn signatures</h3>
      <ul className="plain-list">
        {withdrawn.map((signature) => (
          <li key={`${signature.role}-${signature.digest}-${signature.withdrawnAt}`}>
            <s>{roleWords[signature.role]}</s> <strong>withdrawn</strong> — {describeWithdrawal(signature)}
          </li>
        ))}
      </ul>
    </section>
  );
}
