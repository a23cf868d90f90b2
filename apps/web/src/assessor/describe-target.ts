import type { EvidenceMappingTarget } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import { buildRecordingGrid, resolveMappingKey } from '../portfolio/build-recording-grid.ts';

/** The row a mapping names, as the recording form prints it: ref and text ("209.1.2 keep your customer informed"). */
export function describeTarget(unit: Unit, mapping: Pick<EvidenceMappingTarget, 'target' | 'ref'>): { ref: string; text: string } {
  const key = resolveMappingKey(unit, mapping);
  for (const section of buildRecordingGrid(unit, [], null).sections) {
    const row = section.rows.find((r) => r.target === mapping.target && r.key === key);
    if (row !== undefined) return { ref: row.ref, text: row.text };
  }
  return { ref: mapping.ref, text: '' };
}

export const targetName = (unit: Unit, mapping: Pick<EvidenceMappingTarget, 'target' | 'ref'>) => {
  const { ref, text } = describeTarget(unit, mapping);
  return text === '' ? ref : `${ref} ${text}`;
};
