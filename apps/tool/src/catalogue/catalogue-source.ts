import type { CatalogueEntry } from '@attest/contracts';
import type { Unit } from '@attest/standards';

/** The qualification units Attest can assess, as the API serves them. */
export interface CatalogueSource {
  list(): Promise<readonly CatalogueEntry[]>;
  /** The unit, or null when no unit has this id. */
  findUnit(unitId: string): Promise<Unit | null>;
}

export function toCatalogueEntry(unit: Unit): CatalogueEntry {
  return {
    id: unit.id,
    codes: [...unit.codes],
    title: unit.title,
    level: unit.level,
    awardingBody: unit.awardingBody,
    statementCount: unit.groups.reduce((sum, group) => sum + group.statements.length, 0),
  };
}

/** A catalogue over units already loaded and validated (by the standards loader, or a test). */
export function catalogueFromUnits(units: readonly Unit[]): CatalogueSource {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const entries = units.map(toCatalogueEntry);
  return {
    list: async () => entries,
    findUnit: async (unitId) => byId.get(unitId) ?? null,
  };
}
