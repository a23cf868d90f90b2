import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRoutes, type EvidenceItem, type Portfolio, type Session } from '@attest/contracts';
import { isWordless, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError, queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { buildMissingList } from '../portfolio/build-missing-list.ts';
import { labelItems, orderItems } from '../portfolio/build-recording-grid.ts';
import { PortfolioView } from '../portfolio/portfolio-view.tsx';
import { previewVerdict, todayIso } from '../portfolio/preview-verdict.ts';
import { describeWordlessRequirements } from '../unit/describe-wordless-requirements.ts';
import { groupStatements } from '../unit/group-statements.ts';
import { useUnit } from '../unit/use-unit.ts';

/** A learner's view of the unit this activity assesses. */
export function LearnerUnitScreen({ api, session }: { api: ApiClient; session: Session }) {
  if (session.unitId === null) {
    return (
      <main className="page" id="main">
        <h1>{session.resourceLink?.title ?? 'Attest'}</h1>
        <div className="empty">
          <h2>No unit linked</h2>
          <p>This activity is not linked to a unit yet. Ask your assessor to add the unit to the course through Attest.</p>
        </div>
      </main>
    );
  }
  return <LinkedUnit api={api} unitId={session.unitId} />;
}

function LinkedUnit({ api, unitId }: { api: ApiClient; unitId: string }) {
  const [unit, retry] = useUnit(api, unitId);
  const [portfolio, retryPortfolio] = useApiQuery(queryKeys.portfolio, () => getPortfolio(api));
  if (unit.status === 'ready' && portfolio.status === 'ready') return <LearnerPortfolio api={api} unit={unit.data} />;
  return (
    <main className="page" id="main">
      {unit.status === 'loading' || (unit.status === 'ready' && portfolio.status === 'loading') ? <LoadingState label="Loading the unit…" /> : null}
      {unit.status === 'error' ? (
        <>
          <h1>Unit</h1>
          <ErrorState title="The unit could not be loaded" error={unit.error} onRetry={retry} />
        </>
      ) : null}
      {unit.status === 'ready' && portfolio.status === 'error' ? (
        <UnitDetails unit={unit.data}>
          <ErrorState title="Your evidence could not be loaded" error={portfolio.error} onRetry={retryPortfolio} />
        </UnitDetails>
      ) : null}
    </main>
  );
}

// `editorKey` stays the same when a new item gets its id, so the form is not remounted mid-typing.
// The form, uploads and mapping editor load when a learner opens an item: the unit's overview,
// which every launch shows first, does not wait for them.
const EvidenceEditor = lazy(() => import('../portfolio/evidence-editor.tsx').then((m) => ({ default: m.EvidenceEditor })));
// The assessor's plan, records and the sign-off chain come after the learner's own evidence on the page.
const LearnerAssessmentSection = lazy(() => import('../portfolio/learner-assessment-section.tsx').then((m) => ({ default: m.LearnerAssessmentSection })));

// A new item may start from files picked on the unit page ("Take a photo"): they save it and upload at once.
type View = { name: 'unit'; hasReturned: boolean } | { name: 'item'; itemId: string | null; editorKey: string; firstFiles?: readonly File[] };

const getPortfolio = (api: ApiClient) => api.call(apiRoutes.getPortfolio, {});

/**
 * Shows the portfolio the server last sent and the learner's edits on their way to it. While an
 * edit is unconfirmed the engine previews the verdict in the browser; each confirmed write marks
 * the cached portfolio stale, and the server's fresh verdict then replaces the preview. A read
 * started before the latest write is cancelled by the next one, so an older answer, which knows
 * fewer of the learner's writes, never lands.
 */
function LearnerPortfolio({ api, unit }: { api: ApiClient; unit: Unit }) {
  const queryClient = useQueryClient();
  // Rendered only once the portfolio is in the cache (LinkedUnit), so `data` is there.
  const query = useQuery({ queryKey: queryKeys.portfolio, queryFn: () => getPortfolio(api) });
  const portfolio = query.data as Portfolio;
  // Mapping edits not yet confirmed, and writes confirmed but not yet in a fresh verdict.
  const [previews, setPreviews] = useState<ReadonlyMap<string, EvidenceItem>>(new Map());
  const [confirmed, setConfirmed] = useState<ReadonlyMap<string, EvidenceItem>>(new Map());
  const [view, setView] = useState<View>({ name: 'unit', hasReturned: false });
  const refreshError = query.isRefetchError ? asApiRequestError(query.error).message : null;
  const today = todayIso(new Date());

  const items = useMemo(() => {
    const latest = (item: EvidenceItem) => previews.get(item.id) ?? confirmed.get(item.id) ?? item;
    const merged = portfolio.items.map(latest);
    for (const item of confirmed.values()) if (!portfolio.items.some((i) => i.id === item.id)) merged.push(latest(item));
    return orderItems(merged);
  }, [portfolio, previews, confirmed]);
  const isPreview = previews.size > 0 || confirmed.size > 0;
  const verdict = useMemo(() => (isPreview ? previewVerdict(unit, portfolio.items, items, portfolio.verdict, today) : portfolio.verdict), [isPreview, unit, items, portfolio.items, portfolio.verdict, today]);

  // A fresh portfolio holds every write confirmed before it was read.
  useEffect(() => setConfirmed(new Map()), [query.dataUpdatedAt]);
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: queryKeys.portfolio }), [queryClient]);

  const preview = useCallback((item: EvidenceItem) => setPreviews((current) => new Map(current).set(item.id, item)), []);
  const saved = useCallback(
    (item: EvidenceItem) => {
      setPreviews((current) => {
        const next = new Map(current);
        next.delete(item.id);
        return next;
      });
      setConfirmed((current) => new Map(current).set(item.id, item));
      setView((current) => (current.name === 'item' && current.itemId === null ? { ...current, itemId: item.id } : current));
      void refresh();
    },
    [refresh],
  );

  const banner = refreshError === null ? null : <p className="notice" role="alert">Your changes are saved, but the latest check of the unit could not be loaded: {refreshError}</p>;

  if (view.name === 'item') {
    const item = view.itemId === null ? null : (items.find((i) => i.id === view.itemId) ?? null);
    const label = view.itemId === null ? `E${items.length + 1}` : (labelItems(items).get(view.itemId) ?? '');
    return (
      <>
        {banner}
        <Suspense
          fallback={
            <main className="page" id="main">
              <LoadingState label="Opening the evidence form…" />
            </main>
          }
        >
          <EvidenceEditor key={view.editorKey} api={api} unit={unit} portfolio={portfolio} item={item} label={label} today={today} firstFiles={view.firstFiles} missing={buildMissingList(verdict, labelItems(items), unit)} onSaved={saved} onPreview={preview} onClose={() => setView({ name: 'unit', hasReturned: true })} />
        </Suspense>
      </>
    );
  }
  return (
    <>
      {banner}
      <PortfolioView unit={unit} portfolio={portfolio} items={items} verdict={verdict} isPreview={isPreview} shouldFocusHeading={view.hasReturned} onAdd={() => setView({ name: 'item', itemId: null, editorKey: `new-${Date.now()}` })} onAddFiles={(files) => setView({ name: 'item', itemId: null, editorKey: `new-${Date.now()}`, firstFiles: files })} onOpen={(itemId) => setView({ name: 'item', itemId, editorKey: itemId })}>
        <Suspense fallback={<LoadingState label="Loading your assessment…" />}>
          {/* The declaration moves the unit's next step on: the overview's state is read again. */}
          <LearnerAssessmentSection api={api} onDeclared={() => void refresh()} />
        </Suspense>
      </PortfolioView>
    </>
  );
}

/**
 * The unit as printed by its awarding body, shown when the learner's portfolio cannot be loaded;
 * `children` (the reason) go under the title, so the page still opens with its h1. Exported for
 * render tests.
 */
export function UnitDetails({ unit, children }: { unit: Unit; children?: ReactNode }) {
  const id = useId();
  const groups = groupStatements(unit);
  return (
    <>
      <header className="unit-header">
        {unit.codes.length > 0 ? <p className="unit-codes">Unit {unit.codes.join(' / ')}</p> : null}
        <h1>{unit.title}</h1>
        {unit.printedTitle === undefined ? null : <p className="printed-form">Corrected: the awarding body’s form prints the title “{unit.printedTitle}”.</p>}
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
        </dl>
        {unit.purpose === null ? null : <p>{unit.purpose}</p>}
      </header>
      {children}

      <section aria-labelledby="statements-heading">
        <h2 id="statements-heading">What you need to show</h2>
        {groups.length === 0 ? <p>This unit lists no statements.</p> : null}
        {groups.map((group, index) => (
          <section key={group.key} className="statement-group" aria-labelledby={`${id}-group-${index}`}>
            <h3 id={`${id}-group-${index}`}>{group.heading}</h3>
            {group.sections.map((section) => (
              <div key={section.kind}>
                {group.sections.length > 1 ? <h4 className="section-label">{section.label}</h4> : null}
                <ul className="statements" aria-label={group.sections.length > 1 ? `${group.heading}: ${section.label}` : undefined}>
                  {section.statements.map((statement, index) => (
                    <li key={`${statement.ref ?? ''}-${index}`}>
                      <span className="ref">{statement.ref ?? ''}</span>
                      <span>
                        {statement.text}
                        {statement.printed === null ? null : <span className="printed-form">{statement.printed}</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
        ))}
      </section>

      {unit.scope.length === 0 ? null : (
        <section aria-labelledby="scope-heading">
          <h2 id="scope-heading">Scope</h2>
          {unit.scope.map((group, index) => {
            const heading = [group.ref, group.title].filter((part) => part !== null).join(' ');
            return (
              <div key={`${group.ref ?? ''}-${index}`} className="statement-group">
                {heading === '' ? null : <h3>{heading}</h3>}
                <RefList items={group.items} label={heading === '' ? 'Scope' : `Scope ${heading}`} />
              </div>
            );
          })}
        </section>
      )}

      <EvidenceRequirements requirements={unit.evidenceRequirements} />
    </>
  );
}

function RefList({ items, label }: { items: ReadonlyArray<{ ref: string; text: string }>; label: string }) {
  return (
    <ul className="statements" aria-label={label}>
      {items.map((item, index) => (
        <li key={`${item.ref}-${index}`}>
          <span className="ref">{item.ref}</span>
          <span>{item.text}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The unit's evidence requirements with their wording. Recording forms print some only as a column
 * number, defined in an awarding-body document a centre holds: those are named in one sentence and
 * never listed as something to meet, until the centre supplies their wording (decision 0025).
 */
function EvidenceRequirements({ requirements }: { requirements: Unit['evidenceRequirements'] }) {
  if (requirements.length === 0) return null;
  const worded = requirements.filter((requirement) => !isWordless(requirement));
  const wordless = describeWordlessRequirements(requirements.filter(isWordless).map((requirement) => requirement.ref));
  return (
    <section aria-labelledby="requirements-heading">
      <h2 id="requirements-heading">Evidence requirements</h2>
      {worded.length === 0 ? null : (
        <ul className="statements">
          {worded.map((requirement, index) => (
            <li key={`${requirement.ref}-${index}`}>
              <span className="ref">{requirement.ref}</span>
              <div>
                {requirement.text === null ? null : <p className="requirement-text">{requirement.text}</p>}
                {requirement.wordingSource === undefined ? null : <span className="printed-form">Wording from {requirement.wordingSource}.</span>}
                {requirement.items && requirement.items.length > 0 ? <RefList items={requirement.items} label={`Requirement ${requirement.ref}`} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {wordless === null ? null : <p className="wordless-requirements">{wordless}</p>}
    </section>
  );
}

