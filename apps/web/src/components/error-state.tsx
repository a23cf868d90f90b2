import type { ApiRequestError } from '../api/api-client.ts';

/** A failed request: the server's user-safe message, and a way to try again when that may help. */
export function ErrorState({ title, error, onRetry }: { title: string; error: ApiRequestError; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <h2 className="state-title">{title}</h2>
      <p>{error.message}</p>
      {onRetry && error.kind !== 'session-expired' ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
