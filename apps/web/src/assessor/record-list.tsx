import { useRef, useState } from 'react';
import { apiRoutes, type AssessorRecord, type RecordedSignature } from '@attest/contracts';
import { WITNESS_STATUS_CATEGORIES, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { describeTarget } from './describe-target.ts';
import { recordKindLabel, signRecordConfirmation, SUPPLEMENTARY_LABELS } from './record-form.ts';
import { ConfirmIrreversible } from '../components/confirm-irreversible.tsx';

const signedWhen = (iso: string) => `${formatDate(iso)} at ${new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;

/** "Signed by Sam Assessor on 3 May 2026 at 10:04 (digest 1f2e3d4c…)": who, when and what exactly. */
export function describeSignature(signature: RecordedSignature): string {
  return `Signed by ${signature.name ?? `user ${signature.userId}`} on ${signedWhen(signature.signedAt)} (digest ${signature.digest.slice(0, 12)}…)`;
}

/** The record's content as read-only text, field by field, in the order of the seeds' forms. */
export function recordFacts(record: AssessorRecord): Array<[string, string]> {
  const c = record.content;
  const facts: Array<[string, string]> = [['Date', formatDate(c.date)]];
  if (c.kind !== 'prior-achievement') {
    if (c.customerRef !== null) facts.push(['Customer', c.customerRef]);
    if (c.occasionRef !== null) facts.push(['Occasion', c.occasionRef]);
  }
  switch (c.kind) {
    case 'observation':
      facts.push(['Place', c.place], ['Observed', c.observed]);
      if (c.supplementaryEvidence.length > 0) facts.push(['Supplementary evidence', c.supplementaryEvidence.map((s) => `${SUPPLEMENTARY_LABELS[s.kind]}${s.location === '' ? '' : ` (${s.location})`}`).join('; ')]);
      break;
    case 'questioning':
      facts.push(['Questions', c.mode === 'oral' ? 'Oral' : 'Written']);
      c.questions.forEach((q, index) => facts.push([`Q${index + 1}`, q.question], [`A${index + 1}`, q.answer]));
      break;
    case 'professional-discussion':
      facts.push(['Topics', c.topics.join('; ')], ['Summary', c.summary], ['Recording', c.recording === null ? 'None' : 'Audio file in the portfolio']);
      break;
    case 'witness-testimony':
    case 'expert-witness': {
      const status = WITNESS_STATUS_CATEGORIES.find((s) => s.status === c.witness.status);
      facts.push(['Witness', `${c.witness.name}, ${c.witness.position} (${c.witness.relationshipToCandidate}); ${c.witness.contact}`], ['Witness status', `${c.witness.status}: ${status?.text ?? ''}`], ['Statement', c.statement], ['Units witnessed', c.unitsWitnessed.join(', ')]);
      if (c.kind === 'expert-witness') facts.push(['Eligibility', `Two years’ experience, knows the standards, CPD: confirmed. Checked by: ${c.eligibility.evidenceOfEligibility}`]);
      break;
    }
    case 'prior-achievement':
      facts.push(['Award', c.title], ['Awarding body', c.awardingBody], ['Certificate', c.certificateRef ?? 'Not given'], ['Checked by', c.verification]);
      break;
  }
  return facts;
}

export interface RecordListProps {
  api: ApiClient | null;
  unit: Unit | null;
  records: readonly AssessorRecord[];
  learnerUserId: string;
  /** The launching assessor: only a record's author may sign it. */
  currentUserId: string | null;
  /** Null on the learner's side, which only reads. */
  onChanged: ((record: AssessorRecord) => void) | null;
  onCorrect: ((record: AssessorRecord) => void) | null;
  /** Opens the author's unsigned draft in the form. */
  onEdit?: ((record: AssessorRecord) => void) | null;
}

/** Assessor records, newest last; signed ones read-only with their signature, corrections linked. */
export function RecordList({ api, unit, records, learnerUserId, currentUserId, onChanged, onCorrect, onEdit = null }: RecordListProps) {
  if (records.length === 0) return <p>No assessment records yet.</p>;
  return (
    <ul className="card-list record-list">
      {records.map((record) => (
        <RecordCard key={record.id} api={api} unit={unit} record={record} records={records} learnerUserId={learnerUserId} currentUserId={currentUserId} onChanged={onChanged} onCorrect={onCorrect} onEdit={onEdit} />
      ))}
    </ul>
  );
}

function RecordCard({ api, unit, record, records, learnerUserId, currentUserId, onChanged, onCorrect, onEdit }: Omit<RecordListProps, 'records'> & { record: AssessorRecord; records: readonly AssessorRecord[] }) {
  const [error, setError] = useState<string | null>(null);
  const [isSigning, setSigning] = useState(false);
  const [isConfirming, setConfirming] = useState(false);
  const signButton = useRef<HTMLButtonElement>(null);
  const name = `${recordKindLabel(record.kind)} of ${formatDate(record.content.date)}`;
  const corrected = record.supersedes === null ? null : records.find((r) => r.id === record.supersedes);

  async function sign() {
    if (api === null || onChanged === null || isSigning) return;
    setSigning(true);
    setError(null);
    try {
      onChanged(await api.call(apiRoutes.signRecord, { params: { userId: learnerUserId, recordId: record.id }, body: { baseVersion: record.version } }));
    } catch (failure) {
      setError(asApiRequestError(failure).message);
    } finally {
      setSigning(false);
    }
  }

  return (
    <li className={`card${record.supersededBy === null ? '' : ' card-superseded'}`}>
      <h4 className="card-title">{name}</h4>
      <p className="hint">
        {record.method} · by {record.authorName ?? 'an assessor'} · {record.signature === null ? (record.authorUserId === currentUserId || currentUserId === null ? 'Draft, not signed' : 'Draft, not signed; only its author can sign it') : describeSignature(record.signature)}
      </p>
      {record.supersededBy === null ? null : <p className="notice">Replaced by a correction; it no longer counts towards the unit.</p>}
      {corrected === undefined || corrected === null ? null : <p className="hint">Corrects the {recordKindLabel(corrected.kind).toLowerCase()} of {formatDate(corrected.content.date)}.</p>}
      <dl className="record-facts">
        {recordFacts(record).map(([term, value], index) => (
          <div key={index}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Mapped to</dt>
          <dd>{record.targets.map((t) => (unit !== null && t.unitId === unit.id ? describeTarget(unit, t).ref : t.ref)).join(', ')}</dd>
        </div>
      </dl>
      {onChanged !== null && record.signature === null && record.authorUserId === currentUserId ? (
        <button ref={signButton} type="button" className="button button-small" aria-disabled={isSigning} aria-expanded={isConfirming} onClick={() => setConfirming(true)}>
          Sign {name}
        </button>
      ) : null}
      {isConfirming ? (
        <ConfirmIrreversible
          {...signRecordConfirmation(name)}
          isBusy={isSigning}
          onConfirm={() => {
            setConfirming(false);
            void sign();
          }}
          onKeep={() => {
            setConfirming(false);
            signButton.current?.focus();
          }}
        />
      ) : null}
      {onEdit !== null && onEdit !== undefined && record.signature === null && record.authorUserId === currentUserId ? (
        <button type="button" className="button button-secondary button-small" onClick={() => onEdit(record)}>
          Edit {name}
        </button>
      ) : null}
      {onCorrect !== null && record.signature !== null && record.supersededBy === null ? (
        <button type="button" className="button button-secondary button-small" onClick={() => onCorrect(record)}>
          Correct {name}
        </button>
      ) : null}
      <div role="alert" className="alert-slot">
        {error === null ? null : <p className="form-error">Not signed: {error}</p>}
      </div>
    </li>
  );
}

