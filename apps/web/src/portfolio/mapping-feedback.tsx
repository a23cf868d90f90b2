import type { EvidenceItem } from '@attest/contracts';

/** Decisions with the assessor's note on each mapping, where there is one. */
export function MappingFeedback({ item }: { item: EvidenceItem }) {
  const notes = item.mappings.filter((m) => m.feedback !== null && m.feedback !== '');
  if (notes.length === 0) return null;
  return (
    <>
      <h3>On each requirement</h3>
      <ul className="plain-list">
        {notes.map((m) => (
          <li key={`${m.unitId}|${m.target}|${m.ref}`}>
            <strong>{m.ref}</strong> ({m.decision}): {m.feedback}
          </li>
        ))}
      </ul>
    </>
  );
}
