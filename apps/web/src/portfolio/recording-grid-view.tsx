import { useId } from 'react';
import { describeWordlessRequirements } from '../unit/describe-wordless-requirements.ts';
import { describeDecision, describeStatus, type RecordingGrid } from './build-recording-grid.ts';

/**
 * The recording form as a table. Wide forms scroll inside their own focusable, labelled region, so
 * at 375 px the page itself never scrolls sideways (WCAG 1.4.10) and keyboard users can scroll it.
 */
export function RecordingGridView({ grid, unitTitle, isForAssessor = false }: { grid: RecordingGrid; unitTitle: string; isForAssessor?: boolean }) {
  const id = useId();
  const wordless = describeWordlessRequirements(grid.wordlessRequirements, isForAssessor);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Recording form</h2>
      <p className="hint" id={`${id}-hint`}>
        Each column is one piece of {isForAssessor ? 'the learner’s' : 'your'} evidence (E1, E2…); each cell shows its assessment method (PE product evidence, WT witness testimony, O observation…) and the assessor’s decision.
      </p>
      {grid.columns.length === 0 ? <p>No evidence is mapped to this unit yet.</p> : null}
      <div className="grid-scroll" role="region" tabIndex={0} aria-label={`Recording form for ${unitTitle}`} aria-describedby={`${id}-hint`}>
        <table className="recording-grid">
          <thead>
            <tr>
              <th scope="col">Requirement</th>
              <th scope="col">Status</th>
              {grid.columns.map((column) => (
                <th scope="col" key={column.itemId}>
                  {column.label}
                  <span className="column-title">{column.title}</span>
                </th>
              ))}
            </tr>
          </thead>
          {grid.sections.map((section, sectionIndex) => (
            <tbody key={`${section.heading}-${sectionIndex}`}>
              <tr>
                <th scope="colgroup" colSpan={2 + grid.columns.length} className="grid-section">
                  {section.heading}
                </th>
              </tr>
              {section.rows.map((row) => (
                <tr key={`${row.target}|${row.key}`}>
                  <th scope="row" className="grid-requirement">
                    <span className="ref">{row.ref}</span> {row.text}
                    {row.printed === null ? null : <span className="printed-form">{row.printed}</span>}
                  </th>
                  <td className={`grid-status status-${row.status ?? 'none'}`}>{describeStatus(row.status)}</td>
                  {row.cells.map((cell, index) => (
                    <td key={grid.columns[index]?.itemId ?? index} className={cell === null ? 'grid-cell' : `grid-cell decision-${cell.decision}`}>
                      {cell === null ? (
                        <span className="visually-hidden">not mapped</span>
                      ) : (
                        <>
                          <strong>{cell.method}</strong> {describeDecision(cell.decision)}
                        </>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      {wordless === null ? null : <p className="wordless-requirements">{wordless}</p>}
    </section>
  );
}
