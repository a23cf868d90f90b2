import { useState } from 'react';
import { apiRoutes, type HistoryEntry } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { queryKeys, useApiQuery } from '../api/api-query.ts';
import { describeHistoryEntry } from './describe-history-entry.ts';

export interface UnitHistoryProps {
  api: ApiClient;
  learnerUserId: string;
  /** For tests; the browser's own time zone otherwise. */
  timeZone?: string;
}

/**
 * The learner's unit's audit trail, collapsed so it does not lengthen the page. It is read only
 * once opened, and read again each time it is reopened (the cache counts it stale at once) or a
 * write invalidates it, so it includes what was done since.
 */
export function UnitHistory({ api, learnerUserId, timeZone }: UnitHistoryProps) {
  const [isOpen, setOpen] = useState(false);
  const [history] = useApiQuery(queryKeys.learnerHistory(learnerUserId), () => api.call(apiRoutes.getLearnerHistory, { params: { userId: learnerUserId } }), { enabled: isOpen });
  return (
    <details className="history" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Who did what, and when</summary>
      {!isOpen ? null : history.status === 'loading' ? <p role="status">Loading the history…</p> : history.status === 'error' ? <p role="alert">The history could not be loaded: {history.error.message}</p> : <HistoryList entries={history.data.entries} {...(timeZone ? { timeZone } : {})} />}
    </details>
  );
}

/** Oldest first, one line per act: "Priya Patel submitted evidence Returns desk log — 3 Dec 2026, 14:05". */
export function HistoryList({ entries, timeZone }: { entries: readonly HistoryEntry[]; timeZone?: string }) {
  if (entries.length === 0) return <p>Nothing has been done on this unit yet.</p>;
  return (
    <ol className="history-list">
      {entries.map((entry) => {
        const line = describeHistoryEntry(entry, timeZone);
        return (
          <li key={entry.sequence}>
            {line.who} {line.did}
            {line.what === null ? null : (
              <>
                {' '}
                <em>{line.what}</em>
              </>
            )}{' '}
            — <time dateTime={entry.recordedAt}>{line.when}</time>
          </li>
        );
      })}
    </ol>
  );
}
