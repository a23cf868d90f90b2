import type { Unit } from '@attest/standards';
import { AppError } from '../errors/app-error.ts';
import type { CatalogueSource } from './catalogue-source.ts';

/** One unit of the catalogue; 404 when there is none with this id. */
export async function getUnit(catalogue: CatalogueSource, unitId: string): Promise<Unit> {
  const unit = await catalogue.findUnit(unitId);
  if (!unit) throw new AppError('not_found', 'There is no unit with this id.');
  return unit;
}
