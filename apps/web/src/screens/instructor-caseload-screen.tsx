import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { apiRoutes, type AssessorCaseload, type CaseloadLearner, type CaseloadMember, type Session } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys, useApiQuery } from '../api/api-query.ts';
import { describeGradeStatus } from '../assessor/describe-grade-status.ts';
import { initialAssessorView, UNNAMED_LEARNER, type AssessorView } from '../assessor/initial-assessor-view.ts';
import { formatRoles } from '../caseload/format-role.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { useUnit, useUnitTitle } from '../unit/use-unit.ts';
import { describeNextStep } from '@attest/standards';

// The learner's page for the assessor is the biggest part of this screen; the caseload shows first.
const GradebookSyncScreen = lazy(() => import('../sync/gradebook-sync-screen.tsx').then((m) => ({ default: m.GradebookSyncScreen })));
const AssessorLearnerView = lazy(() => import('../assessor/assessor-learner-view.tsx').then((m) => ({ default: m.AssessorLearnerView })));

const displayName = (member: { userId: string; name: string | null; email: string | null }) => member.name ?? member.email ?? `User ${member.userId}`;

/** An assessor's view of the activity: the caseload of the unit, then one learner at a time. */
export function InstructorCaseloadScreen({ api, session }: { api: ApiClient; session: Session }) {
  if (session.unitId === null) return <UnlinkedCaseload api={api} session={session} />;
  return <AssessorScreen api={api} session={session} unitId={session.unitId} />;
}

function AssessorScreen({ api, session, unitId }: { api: ApiClient; session: Session; unitId: string }) {
  // A SpeedGrader launch opens its learner's page at once; "Back to the caseload" leads to the rest.
  const [view, setView] = useState<AssessorView>(() => initialAssessorView(session));
  const queryClient = useQueryClient();
  const [caseload, retry] = useApiQuery(queryKeys.assessorCaseload, () => api.call(apiRoutes.getAssessorCaseload, {}));
  const [unit, retryUnit] = useUnit(api, unitId);
  const [isShowingSync, setShowingSync] = useState(false);

  if (isShowingSync) return <SyncScreen api={api} onBack={() => setShowingSync(false)} />;

  if (view.name === 'learner') {
    const back = () => {
      setView({ name: 'caseload', returnedFrom: view.userId });
      // Read again on every return, so decisions and sign-offs just made show in the caseload.
      void queryClient.invalidateQueries({ queryKey: queryKeys.assessorCaseload });
    };
    // Opened by id alone, the learner is named from the caseload once it loads (their portfolio names them too).
    const known = caseload.status === 'ready' ? caseload.data.learners.find((learner) => learner.userId === view.userId) : undefined;
    const learnerName = view.learnerName ?? (known === undefined ? UNNAMED_LEARNER : displayName(known));
    if (unit.status !== 'ready') {
      return (
        <main className="page" id="main">
          <p>
            <button type="button" className="button button-secondary" onClick={back}>
              Back to the caseload
            </button>
          </p>
          <h1>{learnerName}</h1>
          {unit.status === 'loading' ? <LoadingState label="Loading the unit…" /> : <ErrorState title="The unit could not be loaded" error={unit.error} onRetry={retryUnit} />}
        </main>
      );
    }
    return (
      <Suspense
        fallback={
          <main className="page" id="main">
            <LoadingState label="Opening the learner’s portfolio…" />
          </main>
        }
      >
        <AssessorLearnerView api={api} unit={unit.data} learnerUserId={view.userId} learnerName={learnerName} userId={session.user.id} initialItemId={view.itemId} onBack={back} />
      </Suspense>
    );
  }

  const title = caseload.status === 'ready' ? caseload.data.unitTitle : unit.status === 'ready' ? unit.data.title : (session.resourceLink?.title ?? 'Caseload');
  return (
    <main className="page" id="main">
      <p className="eyebrow">Caseload</p>
      <h1>{title}</h1>
      {session.canPostScores ? (
        <p>
          <button type="button" className="button button-secondary" onClick={() => setShowingSync(true)}>
            Gradebook sync
          </button>
        </p>
      ) : null}
      {caseload.status === 'loading' ? <LoadingState label="Loading learners…" /> : null}
      {caseload.status === 'error' ? <ErrorState title="The learners could not be loaded" error={caseload.error} onRetry={retry} /> : null}
      {caseload.status === 'ready' ? <CaseloadView caseload={caseload.data} canPostScores={session.canPostScores} returnedFrom={view.returnedFrom} onOpen={(learner, itemId) => setView({ name: 'learner', userId: learner.userId, learnerName: displayName(learner), itemId })} /> : null}
    </main>
  );
}

export interface CaseloadViewProps {
  caseload: AssessorCaseload;
  /** The activity has a gradebook column Attest may post to; without one, sign-offs reach no gradebook. */
  canPostScores: boolean;
  /** The learner the assessor just came back from, whose open button gets the focus back. */
  returnedFrom: string | null;
  onOpen: (learner: CaseloadLearner, itemId: string | null) => void;
}

/** The queue of items awaiting assessment, oldest first, then every learner of the course. Exported for render tests. */
export function CaseloadView({ caseload, canPostScores, returnedFrom, onOpen }: CaseloadViewProps) {
  const id = useId();
  const returned = useRef<HTMLButtonElement>(null);
  useEffect(() => returned.current?.focus(), []);
  const byId = new Map(caseload.learners.map((learner) => [learner.userId, learner]));

  return (
    <>
      {/* Grades come only from decisions (the candidate's declaration on Canvas, the sign-off): there is no score to type in. */}
      {canPostScores ? null : <p className="notice">This activity has no gradebook column, so sign-offs are recorded here but not sent to the LMS gradebook.</p>}
      <section aria-labelledby={`${id}-queue`}>
        <h2 id={`${id}-queue`}>Awaiting assessment ({caseload.queue.length})</h2>
        {caseload.queue.length === 0 ? (
          <p>Nothing is waiting for assessment.</p>
        ) : (
          <ol className="queue" aria-label="Items awaiting assessment, oldest first">
            {caseload.queue.map((entry) => {
              const learner = byId.get(entry.learnerUserId);
              const name = learner === undefined ? `User ${entry.learnerUserId}` : displayName(learner);
              return (
                <li key={entry.itemId} className="queue-entry">
                  <div>
                    <strong>{entry.title}</strong>
                    <p className="hint">
                      {name} · submitted {formatDate(entry.submittedAt)} · {entry.pendingMappings === 1 ? '1 decision to make' : `${entry.pendingMappings} decisions to make`}
                    </p>
                  </div>
                  {learner === undefined ? null : (
                    <button type="button" className="button button-secondary button-small" aria-label={`Assess ${entry.title} by ${name}`} onClick={() => onOpen(learner, entry.itemId)}>
                      Assess
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <section aria-labelledby={`${id}-learners`}>
        <h2 id={`${id}-learners`}>Learners ({caseload.learners.length})</h2>
        {caseload.rosterIsShared ? null : (
          <p className="notice">
            Your LMS does not share this course’s list of learners with Attest, so a learner appears here once they have opened Attest. To list everyone from the start, your LMS administrator can turn on
            the roster service for Attest (in Moodle, the tool’s “IMS LTI Names and Role Provisioning” service).
          </p>
        )}
        {caseload.learners.length > 0 && caseload.learners.every((learner) => learner.name === null && learner.email === null) ? (
          <p className="notice">
            Your LMS does not share learners’ names with Attest, so each is shown by their LMS user number. Your LMS administrator can share them (in Moodle, the tool’s “Share launcher’s name with tool”
            privacy setting).
          </p>
        ) : null}
        {caseload.learners.length === 0 ? <p className="empty">{caseload.rosterIsShared ? 'No learners are enrolled in this course yet.' : 'No learner has opened Attest in this course yet.'}</p> : null}
        <ul className="card-list">
          {caseload.learners.map((learner) => {
            const name = displayName(learner);
            const grade = describeGradeStatus(learner.grade);
            const { met, assessed, total } = learner.progress;
            return (
              <li key={learner.userId} className="card">
                <h3 className="card-title">{name}</h3>
                {learner.hasLaunched ? null : <p className="hint">Has not opened Attest yet.</p>}
                <label htmlFor={`${id}-${learner.userId}-meter`} className="progress-label">
                  <span className="visually-hidden">{name}: </span>
                  {met} of {total} statements met
                </label>
                <progress id={`${id}-${learner.userId}-meter`} className="progress" max={Math.max(total, 1)} value={met} />
                <dl className="facts">
                  <div>
                    <dt>Assessed</dt>
                    <dd>
                      {assessed} of {total}
                    </dd>
                  </div>
                  <div>
                    <dt>Last evidence</dt>
                    <dd>{learner.lastEvidenceAt === null ? 'None yet' : formatDate(learner.lastEvidenceAt)}</dd>
                  </div>
                  <div>
                    <dt>State</dt>
                    {/* The server's next step, from the same gate the sign-off applies: never "ready" while it is shut. */}
                    <dd>{describeNextStep(learner.nextStep)}</dd>
                  </div>
                  <div>
                    <dt>Awaiting assessment</dt>
                    <dd>{learner.awaiting.length === 1 ? '1 item' : `${learner.awaiting.length} items`}</dd>
                  </div>
                </dl>
                <p className={`grade-line grade-${grade.tone}`}>{grade.text}</p>
                <button type="button" ref={learner.userId === returnedFrom ? returned : undefined} className="button" aria-label={`Open portfolio of ${name}`} onClick={() => onOpen(learner, null)}>
                  Open portfolio
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}

/** An activity placed without a unit: the course's learners only, since without a unit there is nothing to decide or grade. */
function UnlinkedCaseload({ api, session }: { api: ApiClient; session: Session }) {
  const [caseload, retry] = useApiQuery(queryKeys.caseload, () => api.call(apiRoutes.getCaseload, {}));
  const unitTitle = useUnitTitle(api, session.unitId);
  const title = unitTitle ?? session.resourceLink?.title ?? 'Caseload';
  // A course-level launch (Canvas's course navigation) has no unit but the whole course's gradebook.
  const [isShowingSync, setShowingSync] = useState(false);
  if (isShowingSync) return <SyncScreen api={api} onBack={() => setShowingSync(false)} />;

  return (
    <main className="page" id="main">
      <p className="eyebrow">Caseload</p>
      <h1>{title}</h1>
      <p className="notice">This activity is not linked to a unit, so there is nothing to assess here. Add a unit to the course with Attest’s “Add units” option.</p>
      <p>
        <button type="button" className="button button-secondary" onClick={() => setShowingSync(true)}>
          Gradebook sync
        </button>
      </p>
      {caseload.status === 'loading' ? <LoadingState label="Loading learners…" /> : null}
      {caseload.status === 'error' ? <ErrorState title="The learners could not be loaded" error={caseload.error} onRetry={retry} /> : null}
      {caseload.status === 'ready' ? <LearnerList members={caseload.data.members} /> : null}
    </main>
  );
}

function LearnerList({ members }: { members: CaseloadMember[] }) {
  const learners = members.filter((member) => member.isLearner);
  if (learners.length === 0) {
    return (
      <section className="empty" aria-labelledby="learners-heading">
        <h2 id="learners-heading">Learners</h2>
        <p>No learners are enrolled in this course yet.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="learners-heading">
      <h2 id="learners-heading">Learners ({learners.length})</h2>
      <ul className="card-list">
        {learners.map((member) => {
          const name = displayName(member);
          return (
            <li key={member.userId} className="card">
              <h3 className="card-title">{name}</h3>
              <dl className="facts">
                <div>
                  <dt>Email</dt>
                  <dd>{member.email ?? 'Not shared by the LMS'}</dd>
                </div>
                <div>
                  <dt>Role</dt>
                  <dd>{formatRoles(member.roles) || 'Learner'}</dd>
                </div>
              </dl>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The course's gradebook sync, loaded on demand, from either caseload. */
function SyncScreen({ api, onBack }: { api: ApiClient; onBack: () => void }) {
  return (
    <Suspense
      fallback={
        <main className="page" id="main">
          <LoadingState label="Opening the gradebook sync…" />
        </main>
      }
    >
      <GradebookSyncScreen api={api} onBack={onBack} />
    </Suspense>
  );
}
