import type { EvidenceItem, EvidenceMapping, EvidenceMappingTarget } from '@attest/contracts';

const same = (a: EvidenceMappingTarget, b: EvidenceMappingTarget) => a.unitId === b.unitId && a.target === b.target && a.ref === b.ref;

export function targetsOf(item: Pick<EvidenceItem, 'mappings'>): EvidenceMappingTarget[] {
  return item.mappings.map(({ unitId, target, ref }) => ({ unitId, target, ref }));
}

export function hasTarget(targets: readonly EvidenceMappingTarget[], target: EvidenceMappingTarget): boolean {
  return targets.some((t) => same(t, target));
}

/** Adds the target when `isChecked`, removes it otherwise; never duplicates one. */
export function setTarget(targets: readonly EvidenceMappingTarget[], target: EvidenceMappingTarget, isChecked: boolean): EvidenceMappingTarget[] {
  const without = targets.filter((t) => !same(t, target));
  return isChecked ? [...without, { unitId: target.unitId, target: target.target, ref: target.ref }] : without;
}

/**
 * The item as it will look once the server takes the new targets: unchanged mappings keep their
 * decision and feedback (the server keeps them too), new ones are pending under the item's method.
 */
export function withTargets(item: EvidenceItem, targets: readonly EvidenceMappingTarget[]): EvidenceItem {
  const mappings: EvidenceMapping[] = targets.map((target) => {
    const kept = item.mappings.find((m) => same(m, target));
    return kept ?? { ...target, decision: 'pending', feedback: null, method: item.method };
  });
  return { ...item, mappings };
}

export function toMappingsRequest(baseVersion: number, targets: readonly EvidenceMappingTarget[]) {
  return { baseVersion, mappings: targets.map(({ unitId, target, ref }) => ({ unitId, target, ref })) };
}
