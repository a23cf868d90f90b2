import { useId } from 'react';
import { splitUnmapped, type MissingEntry } from './build-missing-list.ts';

/**
 * What the unit still lacks, in the engine's words. The count sits in a status region, so a
 * screen-reader user ticking mappings hears it change without the whole list being read out.
 */
/** `isForAssessor` words the empty state for the assessor rather than the learner. */
export function MissingList({ missing, heading, isForAssessor = false }: { missing: readonly MissingEntry[]; heading: string; isForAssessor?: boolean }) {
  const id = useId();
  const { unmapped, others } = splitUnmapped(missing);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <p role="status" className="missing-count">
        {missing.length === 0 ? `Nothing is missing: everything this unit asks for is met or waiting for ${isForAssessor ? 'a decision' : 'your assessor’s decision'}.` : missing.length === 1 ? '1 requirement is still missing.' : `${missing.length} requirements are still missing.`}
      </p>
      {others.length === 0 ? null : (
        <ul className="missing-list">
          {others.map((entry) => (
            <li key={entry.key}>
              <strong>{entry.label}</strong>
              {entry.text === null ? '' : ` “${entry.text}”`} ({entry.status === 'partly-met' ? 'partly met' : 'not met'})
              <ul className="plain-list">
                {entry.reasons.map((reason, index) => (
                  <li key={index}>{reason}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {unmapped.length === 0 ? null : (
        <p className="unmapped">
          <strong>No evidence mapped yet</strong> to {unmapped.map((entry) => (entry.text === null ? entry.label : `${entry.label} “${entry.text}”`)).join('; ')}.
        </p>
      )}
    </section>
  );
}
