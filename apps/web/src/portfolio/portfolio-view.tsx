import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { EvidenceItem, Portfolio } from '@attest/contracts';
import { describeNextStep } from '@attest/standards';
import type { Unit, Verdict } from '@attest/standards';
import { buildRecordingGrid, describeMappings, labelItems } from './build-recording-grid.ts';
import { buildMissingList, summariseProgress } from './build-missing-list.ts';
import { buildLearnerNextSteps } from './build-next-steps.ts';
import { MissingList } from './missing-list.tsx';
import { FeedbackList, formatDate } from './feedback-list.tsx';
import { RecordingGridView } from './recording-grid-view.tsx';
import { StorageUsageLine } from './storage-usage-line.tsx';
import { acceptAttribute } from '@attest/evidence-files/rules';
import { blankDraft } from './blank-draft.ts';

export interface PortfolioViewProps {
  unit: Unit;
  portfolio: Portfolio;
  /** The items as the page holds them, unsaved mapping edits included. */
  items: readonly EvidenceItem[];
  /** The server's verdict, or the engine's preview while an edit is on its way. */
  verdict: Verdict;
  isPreview: boolean;
  onAdd: () => void;
  /** Files picked with "Take a photo" or "Add a file": a new item, saved by the first of them. */
  onAddFiles: (files: readonly File[]) => void;
  onOpen: (itemId: string) => void;
  /** Focus the page heading: set when returning from an item, not on the first load. */
  shouldFocusHeading: boolean;
  /** Shown last on the page (the learner's assessment, loaded on its own). */
  children?: ReactNode;
}

/** The learner's unit: overview, what is missing, their evidence, the recording form, feedback. */
export function PortfolioView({ unit, portfolio, items, verdict, isPreview, onAdd, onAddFiles, onOpen, shouldFocusHeading, children }: PortfolioViewProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (shouldFocusHeading) heading.current?.focus();
  }, [shouldFocusHeading]);
  const labels = labelItems(items);
  const progress = summariseProgress(verdict);
  const missing = buildMissingList(verdict, labels, unit);
  const nextSteps = buildLearnerNextSteps(unit, items, verdict, portfolio.nextStep, labels);
  const grid = buildRecordingGrid(unit, items, verdict);

  return (
    <main className="page" id="main">
      <header className="unit-header">
        {unit.codes.length > 0 ? <p className="unit-codes">Unit {unit.codes.join(' / ')}</p> : null}
        <h1 ref={heading} tabIndex={-1}>
          {unit.title}
        </h1>
        <dl className="facts">
          {unit.level === null ? null : (
            <div>
              <dt>Level</dt>
              <dd>{unit.level}</dd>
            </div>
          )}
          {unit.awardingBody === null ? null : (
            <div>
              <dt>Awarding body</dt>
              <dd>{unit.awardingBody}</dd>
            </div>
          )}
          <div>
            <dt>State</dt>
            {/* The server's next step for the learner, from the same gate the sign-off applies: never "ready" while it is shut. */}
            <dd>{describeNextStep(portfolio.nextStep)}</dd>
          </div>
        </dl>
        {unit.purpose === null ? null : <p>{unit.purpose}</p>}
      </header>

      {portfolio.signedOff === null ? null : (
        <div className="banner-success" role="note" aria-label="Unit signed off">
          <p>
            <strong>This unit is signed off</strong>
            {portfolio.signedOff.byName === null ? '' : ` by ${portfolio.signedOff.byName}`} on {formatDate(portfolio.signedOff.at)}.
          </p>
        </div>
      )}

      <section aria-labelledby={`${id}-next`} className="next-steps">
        <h2 id={`${id}-next`}>What to do next</h2>
        <ol>
          {nextSteps.map((step) => {
            const label = step.itemId === null ? undefined : labels.get(step.itemId);
            return (
              <li key={step.key}>
                {step.text}
                {step.itemId === null || label === undefined ? null : (
                  <>
                    {' '}
                    <button type="button" className="button-link" aria-label={`Go to ${label}: ${items.find((item) => item.id === step.itemId)?.title ?? ''}`} onClick={() => onOpen(step.itemId as string)}>
                      Go to {label}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby={`${id}-progress`}>
        <h2 id={`${id}-progress`}>Progress</h2>
        <label htmlFor={`${id}-meter`} className="progress-label">
          {progress.met} of {progress.total} statements met
        </label>
        <progress id={`${id}-meter`} className="progress" max={Math.max(progress.total, 1)} value={progress.met} aria-describedby={`${id}-progress-detail`} />
        <p id={`${id}-progress-detail`} className="hint">
          {progress.met} met, {progress.assessed} assessed, {progress.total} in total.{isPreview ? ' Preview: your latest change is being saved and checked.' : ''}
        </p>
      </section>

      <MissingList missing={missing} heading="What is still missing" />

      <section aria-labelledby={`${id}-evidence`}>
        <h2 id={`${id}-evidence`}>Your evidence</h2>
        {items.length === 0 ? (
          <div className="empty">
            <p>No evidence yet.</p>
          </div>
        ) : (
          <ul className="evidence-list">
            {items.map((item) => (
              <li key={item.id} className="card">
                <h3 className="card-title">
                  {labels.get(item.id)}: {item.title}
                </h3>
                <p className="hint">
                  {item.method} · {formatDate(item.activityDate)} · {item.state === 'draft' ? 'Draft' : item.mappings.some((m) => m.decision === 'referred') ? 'Referred back to you' : 'Submitted, locked'} · {item.files.length === 1 ? '1 file' : `${item.files.length} files`} · {describeMappings(item.mappings)}
                  {item.feedback.length > 0 ? ` · ${item.feedback.length === 1 ? '1 feedback note' : `${item.feedback.length} feedback notes`}` : ''}
                </p>
                {/* The visible words start the name (WCAG 2.5.3); the title tells the buttons apart. */}
                <button type="button" className="button button-secondary" aria-label={`Open ${labels.get(item.id) ?? ''}: ${item.title}`} onClick={() => onOpen(item.id)}>
                  Open {labels.get(item.id)}
                </button>
              </li>
            ))}
          </ul>
        )}
        {/* One tap from the unit to the camera or the files: the first file saves a new item. */}
        <div className="add-evidence">
          <FirstFilePicker label="Take a photo" accept={acceptAttribute('photo')} capture="environment" describedBy={`${id}-usage`} onFiles={onAddFiles} />
          <FirstFilePicker label="Add a file" accept={FIRST_FILE_ACCEPT} describedBy={`${id}-usage`} onFiles={onAddFiles} />
          <button type="button" className="button button-secondary" onClick={onAdd} aria-describedby={`${id}-usage`}>
            Add evidence
          </button>
        </div>
        <StorageUsageLine usage={portfolio.usage} id={`${id}-usage`} />
      </section>

      <RecordingGridView grid={grid} unitTitle={unit.title} />

      <section aria-labelledby={`${id}-feedback`}>
        <h2 id={`${id}-feedback`}>Feedback on the unit</h2>
        <FeedbackList feedback={portfolio.unitFeedback} emptyText="No feedback on the unit yet." />
      </section>
      {children}
    </main>
  );
}

/**
 * What a first file may be: the kinds a new item takes from its first file (draftForFirstFile) —
 * the form's default kind, a photo, a recording. The item's own kind narrows it from then on.
 */
const FIRST_FILE_ACCEPT = [...new Set([blankDraft('').evidenceType, 'photo' as const, 'recording' as const].flatMap((kind) => acceptAttribute(kind).split(',')))].join(',');

/** A file input that looks like a button: on a phone, "Take a photo" opens the camera (capture). */
function FirstFilePicker({ label, accept, capture, describedBy, onFiles }: { label: string; accept: string; capture?: 'environment'; describedBy: string; onFiles: (files: readonly File[]) => void }) {
  return (
    <label className="button file-button">
      <input
        type="file"
        className="visually-hidden"
        accept={accept}
        {...(capture === undefined ? { multiple: true } : { capture })}
        aria-describedby={describedBy}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      {label}
    </label>
  );
}
