import { useId } from 'react';
import type { Session } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
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
  return (
    <main className="page" id="main">
      {unit.status === 'loading' ? <LoadingState label="Loading the unit…" /> : null}
      {unit.status === 'error' ? (
        <>
          <h1>Unit</h1>
          <ErrorState title="The unit could not be loaded" error={unit.error} onRetry={retry} />
        </>
      ) : null}
      {unit.status === 'ready' ? <UnitDetails unit={unit.data} /> : null}
    </main>
  );
}

/** The unit as printed by its awarding body; exported for render tests. */
export function UnitDetails({ unit }: { unit: Unit }) {
  const id = useId();
  const groups = groupStatements(unit);
  return (
    <>
      <header className="unit-header">
        {unit.codes.length > 0 ? <p className="unit-codes">Unit {unit.codes.join(' / ')}</p> : null}
        <h1>{unit.title}</h1>
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

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Your evidence</h2>
        <div className="empty">
          <p>No evidence yet.</p>
        </div>
      </section>

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
                      <span>{statement.text}</span>
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

      {unit.evidenceRequirements.length === 0 ? null : (
        <section aria-labelledby="requirements-heading">
          <h2 id="requirements-heading">Evidence requirements</h2>
          <ul className="statements">
            {unit.evidenceRequirements.map((requirement, index) => (
              <li key={`${requirement.ref}-${index}`}>
                <span className="ref">{requirement.ref}</span>
                <div>
                  {/* Recording forms print only the column number, so the wording may be absent. */}
                  <p className="requirement-text">{requirement.text ?? 'Column of the unit’s recording form; no wording is given for it.'}</p>
                  {requirement.items && requirement.items.length > 0 ? <RefList items={requirement.items} label={`Requirement ${requirement.ref}`} /> : null}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
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
