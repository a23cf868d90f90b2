/** Shown while a request is in flight; announced politely so screen readers know to wait. */
export function LoadingState({ label }: { label: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
