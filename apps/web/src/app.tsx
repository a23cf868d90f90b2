import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { apiRoutes, type Session } from '@attest/contracts';
import type { ApiClient } from './api/api-client.ts';
import { queryKeys, useApiQuery } from './api/api-query.ts';
import { watchSessionExpiry } from './api/watch-session-expiry.ts';
import { ErrorState } from './components/error-state.tsx';
import { LoadingState } from './components/loading-state.tsx';
import { SessionExpired } from './components/session-expired.tsx';
import { LearnerUnitScreen } from './screens/learner-unit-screen.tsx';

// Learners are most launches, so their screen is in the first bundle; the instructor's and the
// deep-linking screens load on demand and cost learners nothing.
const InstructorCaseloadScreen = lazy(() => import('./screens/instructor-caseload-screen.tsx').then((m) => ({ default: m.InstructorCaseloadScreen })));
const DeepLinkingScreen = lazy(() => import('./screens/deep-linking-screen.tsx').then((m) => ({ default: m.DeepLinkingScreen })));
// Administrators only: opened from the header beside the launch's own screen (decision 21).
const AdminConsoleScreen = lazy(() => import('./screens/admin-console-screen.tsx').then((m) => ({ default: m.AdminConsoleScreen })));

export function App({ client }: { client: ApiClient }) {
  const [isExpired, setExpired] = useState(false);
  const api = useMemo(() => watchSessionExpiry(client, () => setExpired(true)), [client]);
  const [session, retry] = useApiQuery(queryKeys.session, () => api.call(apiRoutes.getSession, {}));
  const [isAdministering, setAdministering] = useState(false);
  // Leaving the console puts the focus back on the button that opened it.
  const administration = useRef<HTMLButtonElement>(null);
  const hasAdministered = useRef(false);
  useEffect(() => {
    if (isAdministering) hasAdministered.current = true;
    else if (hasAdministered.current) administration.current?.focus();
  }, [isAdministering]);

  if (isExpired) return <SessionExpired />;

  return (
    <>
      <header className="app-header">
        <p className="brand">Attest</p>
        {session.status === 'ready' && session.data.context?.title ? <p className="app-context">{session.data.context.title}</p> : null}
        {session.status === 'ready' && session.data.canAdminister && !isAdministering ? (
          <button ref={administration} type="button" className="button button-secondary button-small app-header-action" onClick={() => setAdministering(true)}>
            Administration
          </button>
        ) : null}
      </header>
      {session.status === 'loading' ? (
        <main className="page" id="main">
          <LoadingState label="Opening Attest…" />
        </main>
      ) : session.status === 'error' ? (
        <main className="page" id="main">
          <h1>Attest could not open</h1>
          <ErrorState title="The activity did not load" error={session.error} onRetry={retry} />
        </main>
      ) : isAdministering ? (
        <Suspense fallback={<LoadingFallback />}>
          <AdminConsoleScreen api={api} session={session.data} onBack={() => setAdministering(false)} gradebookSync={<GradebookSyncPointer />} />
        </Suspense>
      ) : (
        <Screen api={api} session={session.data} />
      )}
    </>
  );
}

function Screen({ api, session }: { api: ApiClient; session: Session }) {
  switch (session.view) {
    case 'learner-unit':
      return <LearnerUnitScreen api={api} session={session} />;
    case 'instructor-caseload':
      return (
        <Suspense fallback={<LoadingFallback />}>
          <InstructorCaseloadScreen api={api} session={session} />
        </Suspense>
      );
    case 'deep-linking':
      return (
        <Suspense fallback={<LoadingFallback />}>
          <DeepLinkingScreen api={api} />
        </Suspense>
      );
  }
}

function LoadingFallback() {
  return (
    <main className="page" id="main">
      <LoadingState label="Opening Attest…" />
    </main>
  );
}

/**
 * The console's word on gradebook sync. What a gradebook holds is read per course, with the
 * course's own launch (its line items and roster), so the dashboard lives with the course's
 * caseload; the console says where, rather than showing a copy without the course's context.
 */
function GradebookSyncPointer() {
  return (
    <section aria-labelledby="admin-sync-heading">
      <h2 id="admin-sync-heading">Gradebook sync</h2>
      <p>
        Each course’s grades, as Attest decided them beside what the LMS gradebook holds, are on that course’s caseload: open the course’s Attest activity as a teacher or administrator and choose “Gradebook sync”. There you can resync a grade, a unit or the whole course. Attest also checks the gradebooks on a schedule and resends any grade the LMS lost; a grade someone changed in the LMS is left for a person to decide.
      </p>
    </section>
  );
}

