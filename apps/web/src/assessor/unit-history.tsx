import { useCallback, useState } from 'react';
import { apiRoutes, type HistoryEntry } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { describeHistoryEntry } from './describe-history-entry.ts';

export interface UnitHistoryProps {
  api: ApiClient;
  learnerUserId: string;
  /** For tests; the browser's own time zone otherwise. */
  timeZone?: string;
}

type Loaded = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; entries: readonly HistoryEntry[] } | { status: 'error'; message: string };

/**
 * The learner's unit's audit trail, collapsed so it does not lengthen the page; it is read from the
 * server each time it is opened, so it includes what was done since.
 */
export function UnitHistory({ api, learnerUserId, timeZone }: UnitHistoryProps) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'idle' });
  const load = useCallback(async () => {
    setLoaded({ status: 'loading' });
    try {
      const history = await api.call(apiRoutes.getLearnerHistory, { params: { userId: learnerUserId } });
      setLoaded({ status: 'ready', entries: history.entries });
    } catch (error) {
      setLoaded({ status: 'error', message: asApiRequestError(error).message });
    }
  }, [api, learnerUserId]);
  return (
    <details
      className="history"
      onToggle={(event) => {
        if (event.currentTarget.open) void load();
      }}
    >
      <summary>Who did what, and when</summary>
      {loaded.status === 'loading' ? <p role="status">Loading the history…</p> : null}
      {loaded.status === 'error' ? <p role="alert">The history could not be loaded: {loaded.message}</p> : null}
      {loaded.status === 'ready' ? <HistoryList entries={loaded.entries} {...(timeZone ? { timeZone } : {})} /> : null}
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
