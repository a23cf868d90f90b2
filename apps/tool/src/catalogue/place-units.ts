import type { DeepLinkingResponse } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import type { LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { recordPlacedUnits } from '../evidence/record-placed-units.ts';
import type { CatalogueSource } from './catalogue-source.ts';

export interface PlaceUnitsDeps {
  readonly db: Database;
  readonly catalogue: CatalogueSource;
  /** The LTI adapter's signed Deep Linking response (LTI Deep Linking 2.0 §4.2) for the chosen items. */
  readonly createDeepLinkingResponse: (launch: LaunchContext, items: { unitId: string; title: string }[]) => Promise<DeepLinkingResponse>;
}

/**
 * An instructor's choice of units, answered as the signed deep-linking response the browser posts
 * back to the LMS. Every unit must exist (404 naming the first that does not, nothing placed); a
 * unit chosen twice is placed once. The units are recorded as offered once the response is signed;
 * they count as placed only when the LMS shows their activities (decision 0020).
 */
export async function placeUnits(deps: PlaceUnitsDeps, launch: LaunchContext, unitIds: readonly string[]): Promise<DeepLinkingResponse> {
  const items: { unitId: string; title: string }[] = [];
  for (const unitId of new Set(unitIds)) {
    const unit = await deps.catalogue.findUnit(unitId);
    if (!unit) throw new AppError('not_found', 'One of the chosen units does not exist.', { details: { unitId } });
    items.push({ unitId: unit.id, title: unit.title });
  }
  const response = await deps.createDeepLinkingResponse(launch, items);
  await recordPlacedUnits(deps.db, launch, items.map((item) => item.unitId));
  return response;
}
