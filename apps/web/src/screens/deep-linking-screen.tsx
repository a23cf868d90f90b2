import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { apiRoutes, type CatalogueEntry, type DeepLinkingResponse } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { filterCatalogue } from '../catalogue/filter-catalogue.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { isSafeReturnUrl } from '../deep-linking/is-safe-return-url.ts';

/** The platform's deep-linking request allows at most this many items per response (contract). */
const maxUnits = 50;

const unitsWord = (n: number) => (n === 1 ? '1 unit' : `${n} units`);

/** An instructor picks units from the catalogue to place in the course as graded activities. */
export function DeepLinkingScreen({ api }: { api: ApiClient }) {
  const [catalogue, retry] = useApiQuery(queryKeys.catalogue, () => api.call(apiRoutes.getCatalogue, {}));
  return (
    <main className="page" id="main">
      <h1>Add units to your course</h1>
      <p className="lead">Each unit you choose becomes an activity in the course, with its own gradebook column.</p>
      {catalogue.status === 'loading' ? <LoadingState label="Loading the catalogue…" /> : null}
      {catalogue.status === 'error' ? <ErrorState title="The catalogue could not be loaded" error={catalogue.error} onRetry={retry} /> : null}
      {catalogue.status === 'ready' ? <UnitPicker api={api} entries={catalogue.data} /> : null}
    </main>
  );
}

/** The catalogue as a filterable checkbox list; exported for render tests. */
export function UnitPicker({ api, entries }: { api: ApiClient; entries: CatalogueEntry[] }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [phase, setPhase] = useState<{ name: 'choosing' } | { name: 'submitting' } | { name: 'error'; message: string }>({ name: 'choosing' });
  const [response, setResponse] = useState<DeepLinkingResponse | null>(null);
  const returnForm = useRef<HTMLFormElement>(null);

  // LTI Deep Linking 2.0 §4.2: the response goes back as an auto-submitted form POST from this frame.
  useEffect(() => {
    if (response !== null) returnForm.current?.submit();
  }, [response]);

  const visible = filterCatalogue(entries, query);
  const hiddenSelected = [...selected].filter((unitId) => !visible.some((entry) => entry.id === unitId)).length;

  function toggle(unitId: string, isChecked: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (isChecked) next.add(unitId);
      else next.delete(unitId);
      return next;
    });
    if (phase.name === 'error') setPhase({ name: 'choosing' });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase.name === 'submitting') return;
    if (selected.size === 0) return setPhase({ name: 'error', message: 'Select at least one unit to add.' });
    if (selected.size > maxUnits) return setPhase({ name: 'error', message: `Select ${maxUnits} units or fewer at a time.` });
    setPhase({ name: 'submitting' });
    // Send in catalogue order, so the course lists the units as the catalogue does.
    const unitIds = entries.filter((entry) => selected.has(entry.id)).map((entry) => entry.id);
    try {
      const result = await api.call(apiRoutes.placeUnits, { body: { unitIds } });
      if (!isSafeReturnUrl(result.returnUrl)) {
        setPhase({ name: 'error', message: 'The LMS gave a return address Attest will not send your choice to. Ask your administrator to check the tool’s registration.' });
        return;
      }
      setResponse(result);
    } catch (error) {
      setPhase({ name: 'error', message: asApiRequestError(error).message });
    }
  }

  if (entries.length === 0) {
    return <p className="empty">The catalogue has no units yet. Ask your administrator to load the qualification’s units.</p>;
  }

  const statusText =
    phase.name === 'submitting' ? `Adding ${unitsWord(selected.size)} to your course…`
    : `${unitsWord(selected.size)} selected${hiddenSelected > 0 ? ` (${hiddenSelected} hidden by the filter)` : ''}. Showing ${visible.length} of ${entries.length}.`;

  return (
    <>
      <form className="picker" onSubmit={submit} noValidate aria-labelledby={`${id}-legend`}>
        <div className="field picker-filter">
          <label htmlFor={`${id}-filter`}>Filter units</label>
          <input
            id={`${id}-filter`}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            aria-describedby={`${id}-hint`}
            autoComplete="off"
          />
          <p className="hint" id={`${id}-hint`}>By code, title, awarding body or level, for example “209” or “level 2”.</p>
        </div>
        <fieldset className="unit-options">
          <legend id={`${id}-legend`}>Units</legend>
          {visible.length === 0 ? <p className="empty">No units match “{query.trim()}”.</p> : null}
          <ul className="option-list">
            {visible.map((entry) => (
              <li key={entry.id} className="option">
                <input
                  type="checkbox"
                  id={`${id}-unit-${entry.id}`}
                  checked={selected.has(entry.id)}
                  onChange={(event) => toggle(entry.id, event.currentTarget.checked)}
                  aria-describedby={`${id}-unit-${entry.id}-details`}
                />
                <label htmlFor={`${id}-unit-${entry.id}`}>
                  {entry.codes.length > 0 ? <span className="option-code">{entry.codes.join(' / ')}</span> : null}{' '}
                  <span className="option-title">{entry.title}</span>
                </label>
                <p className="option-details" id={`${id}-unit-${entry.id}-details`}>
                  {[
                    entry.level === null ? null : `Level ${entry.level}`,
                    entry.awardingBody,
                    entry.statementCount === 1 ? '1 statement' : `${entry.statementCount} statements`,
                  ]
                    .filter((part) => part !== null)
                    .join(' · ')}
                </p>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="form-actions picker-actions">
          <button type="submit" className="button" aria-disabled={phase.name === 'submitting'}>
            Add selected units
          </button>
          <p className="selection-status" role="status">{statusText}</p>
        </div>
        <div role="alert" className="alert-slot">
          {phase.name === 'error' ? <p className="form-error">{phase.message}</p> : null}
        </div>
      </form>
      {response === null ? null : (
        <form ref={returnForm} method="post" action={response.returnUrl} hidden>
          <input type="hidden" name="JWT" value={response.jwt} />
        </form>
      )}
    </>
  );
}
