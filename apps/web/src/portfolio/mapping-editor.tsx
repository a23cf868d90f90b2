import { useId, useState } from 'react';
import type { EvidenceMappingTarget } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';
import { useUnit } from '../unit/use-unit.ts';
import { buildRecordingGrid } from './build-recording-grid.ts';
import { hasTarget } from './edit-mappings.ts';

export interface MappingEditorProps {
  api: ApiClient;
  unit: Unit;
  /** The learner's other units in this course; one piece of evidence often serves several. */
  otherUnits: ReadonlyArray<{ unitId: string; title: string; codes: string[] }>;
  targets: readonly EvidenceMappingTarget[];
  isDisabled: boolean;
  onToggle: (target: EvidenceMappingTarget, isChecked: boolean) => void;
  /**
   * The box ticked or cleared last and what its save says ("Saving mappings…", "Mappings saved"),
   * shown beside it: the page's own status line sits below the whole list, thousands of pixels away.
   */
  lastToggled?: { target: EvidenceMappingTarget; status: string } | null;
}

/** Checkboxes for every requirement of this unit and, on request, of the learner's other units. */
export function MappingEditor({ api, unit, otherUnits, targets, isDisabled, onToggle, lastToggled }: MappingEditorProps) {
  return (
    <div className="mapping-editor">
      <UnitTargets unit={unit} targets={targets} isDisabled={isDisabled} onToggle={onToggle} lastToggled={lastToggled} />
      {otherUnits.map((other) => (
        <OtherUnit key={other.unitId} api={api} unit={other} targets={targets} isDisabled={isDisabled} onToggle={onToggle} lastToggled={lastToggled} />
      ))}
    </div>
  );
}

const unitName = (unit: { title: string; codes: readonly string[] }) => (unit.codes.length > 0 ? `Unit ${unit.codes.join(' / ')}: ${unit.title}` : unit.title);

function OtherUnit({ api, unit, ...rest }: { api: ApiClient; unit: { unitId: string; title: string; codes: string[] } } & Omit<MappingEditorProps, 'api' | 'unit' | 'otherUnits'>) {
  const id = useId();
  const [isOpen, setOpen] = useState(rest.targets.some((t) => t.unitId === unit.unitId));
  const mapped = rest.targets.filter((t) => t.unitId === unit.unitId).length;
  return (
    <div className="other-unit">
      <button type="button" className="button button-secondary disclosure" aria-expanded={isOpen} aria-controls={`${id}-panel`} onClick={() => setOpen(!isOpen)}>
        {isOpen ? 'Hide' : 'Show'} {unitName(unit)}
        {mapped > 0 ? ` (${mapped} mapped)` : ''}
      </button>
      <div id={`${id}-panel`} hidden={!isOpen}>
        {isOpen ? <LoadedUnitTargets api={api} unitId={unit.unitId} {...rest} /> : null}
      </div>
    </div>
  );
}

function LoadedUnitTargets({ api, unitId, ...rest }: { api: ApiClient; unitId: string } & Omit<MappingEditorProps, 'api' | 'unit' | 'otherUnits'>) {
  const [unit, retry] = useUnit(api, unitId);
  if (unit.status === 'loading') return <LoadingState label="Loading the unit…" />;
  if (unit.status === 'error') return <ErrorState title="The unit could not be loaded" error={unit.error} onRetry={retry} />;
  return <UnitTargets unit={unit.data} {...rest} />;
}

/** One unit's requirements, grouped as its recording form groups them; exported for render tests. */
export function UnitTargets({ unit, targets, isDisabled, onToggle, lastToggled }: { unit: Unit } & Omit<MappingEditorProps, 'api' | 'unit' | 'otherUnits'>) {
  const id = useId();
  const { sections } = buildRecordingGrid(unit, [], null);
  return (
    <fieldset className="unit-targets" disabled={isDisabled}>
      <legend>{unitName(unit)}</legend>
      {sections.map((section, sectionIndex) => (
        <fieldset key={`${section.heading}-${sectionIndex}`} className="target-group">
          <legend>{section.heading}</legend>
          <ul className="option-list">
            {section.rows.map((row) => {
              const target: EvidenceMappingTarget = { unitId: unit.id, target: row.target, ref: row.key };
              const inputId = `${id}-${sectionIndex}-${row.target}-${row.key}`;
              return (
                <li key={`${row.target}|${row.key}`} className="option">
                  <input id={inputId} type="checkbox" checked={hasTarget(targets, target)} onChange={(event) => onToggle(target, event.target.checked)} />
                  <label htmlFor={inputId}>
                    <span className="ref">{row.ref}</span> {row.text}
                  </label>
                  {/* Hidden from screen readers: the status line below announces the same words. */}
                  {lastToggled && lastToggled.status !== '' && isSameTarget(lastToggled.target, target) ? (
                    <span className="saved-beside" aria-hidden="true">
                      {lastToggled.status}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
    </fieldset>
  );
}

const isSameTarget = (a: EvidenceMappingTarget, b: EvidenceMappingTarget) => a.unitId === b.unitId && a.target === b.target && a.ref === b.ref;
