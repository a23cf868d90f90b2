import type { EvidenceMappingTarget } from '@attest/contracts';
import { buildUnitIndex, isWordless } from '@attest/standards';
import type { Unit, UnitIndex } from '@attest/standards';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import { AppError } from '../errors/app-error.ts';

export type MappingTargetCheck = (targets: readonly EvidenceMappingTarget[]) => Promise<EvidenceMappingTarget[]>;

const WHAT: Record<EvidenceMappingTarget['target'], string> = { statement: 'statement', 'scope-item': 'scope item', 'evidence-requirement': 'evidence requirement' };

// Units are data loaded once; their indexes are built once per unit object, not per request.
const indexes = new WeakMap<Unit, UnitIndex>();
function indexOf(unit: Unit): UnitIndex {
  let index = indexes.get(unit);
  if (!index) {
    index = buildUnitIndex(unit);
    indexes.set(unit, index);
  }
  return index;
}

/**
 * Checks every mapping against the unit it names and returns them with each ref in the form the
 * engine's verdict uses (`pc:3` where a bare `3` is printed twice, `1.2` otherwise), without
 * duplicates. `allowedUnitIds`: the units of the learner's course; null allows any catalogue unit
 * (seeding). The first unknown unit or ref is refused with a message that names it.
 */
export function createMappingTargetCheck(catalogue: CatalogueSource, allowedUnitIds: ReadonlySet<string> | null): MappingTargetCheck {
  return async (targets) => {
    const units = new Map<string, Unit>();
    const seen = new Set<string>();
    const checked: EvidenceMappingTarget[] = [];
    for (const [position, target] of targets.entries()) {
      const path = `mappings.${position}`;
      let unit = units.get(target.unitId);
      if (!unit) {
        const found = allowedUnitIds === null || allowedUnitIds.has(target.unitId) ? await catalogue.findUnit(target.unitId) : null;
        if (!found) {
          throw new AppError('invalid_request', `Evidence can only be mapped to the units of your course; “${target.unitId}” is not one of them.`, { details: [{ path: `${path}.unitId`, code: 'unknown_unit', unitId: target.unitId }] });
        }
        unit = found;
        units.set(target.unitId, unit);
      }
      const index = indexOf(unit);
      const key = resolveKey(index, target);
      if (key === 'ambiguous') {
        throw new AppError('invalid_request', `“${target.ref}” names more than one statement in ${unitName(unit)}; use its kind as well (for example pc:${target.ref} or k:${target.ref}).`, { details: [{ path: `${path}.ref`, code: 'ambiguous_ref', ref: target.ref }] });
      }
      if (key === undefined) {
        throw new AppError('invalid_request', `${unitName(unit)} has no ${WHAT[target.target]} “${target.ref}”, so evidence cannot be mapped to it.`, { details: [{ path: `${path}.ref`, code: 'unknown_ref', ref: target.ref, target: target.target, unitId: unit.id }] });
      }
      if (target.target === 'evidence-requirement' && isWordlessRequirement(index, key)) {
        throw new AppError('invalid_request', `${unitName(unit)} prints evidence requirement “${target.ref}” only as a column of its recording form, without wording, so evidence cannot be mapped to it until your centre adds its wording.`, { details: [{ path: `${path}.ref`, code: 'requirement_without_wording', ref: target.ref, unitId: unit.id }] });
      }
      const identity = `${unit.id}\u0000${target.target}\u0000${key}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      checked.push({ unitId: unit.id, target: target.target, ref: key });
    }
    return checked;
  };
}

function resolveKey(index: UnitIndex, target: EvidenceMappingTarget): string | 'ambiguous' | undefined {
  if (target.target === 'statement') {
    const found = index.findStatement(target.ref);
    return typeof found === 'number' ? index.statements[found]?.key : found;
  }
  if (target.target === 'scope-item') {
    const found = index.findScopeItem(target.ref);
    return found === undefined ? undefined : index.scopeItems[found]?.key;
  }
  const found = index.findRequirement(target.ref);
  return found === undefined ? undefined : index.requirements[found]?.key;
}

/** Decision 0025: a column the source prints without wording is not something to map evidence to. */
function isWordlessRequirement(index: UnitIndex, key: string): boolean {
  const found = index.findRequirement(key);
  const requirement = found === undefined ? undefined : index.requirements[found];
  return requirement !== undefined && isWordless(requirement);
}

function unitName(unit: Unit): string {
  return `Unit ${unit.codes.join('/')} (${unit.title})`;
}
