import { sessionExpiredMessage } from '../api/api-client.ts';

/**
 * The launch token is missing or no longer accepted. Only a new launch from the LMS can mint one,
 * so there is no retry button here: the way forward is the course page.
 */
export function SessionExpired() {
  return (
    <main className="page" id="main">
      <div className="state state-error" role="alert">
        <h1 className="state-title">Session ended</h1>
        <p>{sessionExpiredMessage}</p>
      </div>
    </main>
  );
}
