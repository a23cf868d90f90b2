import { CaseloadSchema, type CaseloadMember, type Session } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { useApiResource } from '../api/use-api-resource.ts';
import { formatRoles } from '../caseload/format-role.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { ScoreForm } from '../scores/score-form.tsx';
import { useUnitTitle } from '../unit/use-unit.ts';

const displayName = (member: CaseloadMember) => member.name ?? member.email ?? `User ${member.userId}`;

/** An assessor's view of the activity: the unit and the context's learners, each with a score form. */
export function InstructorCaseloadScreen({ api, session }: { api: ApiClient; session: Session }) {
  const [caseload, retry] = useApiResource('caseload', () => api.get('/api/caseload', CaseloadSchema));
  const unitTitle = useUnitTitle(api, session.unitId);
  const title = unitTitle ?? session.resourceLink?.title ?? 'Caseload';

  return (
    <main className="page" id="main">
      <p className="eyebrow">Caseload</p>
      <h1>{title}</h1>
      {session.canPostScores ? null : (
        <p className="notice">
          This activity has no gradebook column, so scores cannot be sent from here. Add the unit to the course with Attest’s “Add
          units” option to create one.
        </p>
      )}
      {caseload.status === 'loading' ? <LoadingState label="Loading learners…" /> : null}
      {caseload.status === 'error' ? <ErrorState title="The learners could not be loaded" error={caseload.error} onRetry={retry} /> : null}
      {caseload.status === 'ready' ? <LearnerList api={api} members={caseload.data.members} canPostScores={session.canPostScores} /> : null}
    </main>
  );
}

function LearnerList({ api, members, canPostScores }: { api: ApiClient; members: CaseloadMember[]; canPostScores: boolean }) {
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
              {canPostScores ? <ScoreForm api={api} learnerUserId={member.userId} learnerName={name} /> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
