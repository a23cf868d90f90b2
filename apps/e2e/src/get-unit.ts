import { loadCatalogue } from '@attest/standards/loader';

export type CatalogueUnit = ReturnType<typeof loadCatalogue>['units'][number];

const units = loadCatalogue().units;

/** A unit of the catalogue the tool serves, by id; throws when there is none, so a renamed unit fails loudly. */
export function getUnit(id: string): CatalogueUnit {
  const unit = units.find((candidate) => candidate.id === id);
  if (!unit) throw new Error(`the catalogue has no unit ${id}`);
  return unit;
}
