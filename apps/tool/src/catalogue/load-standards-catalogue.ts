import { loadCatalogue } from '@attest/standards/loader';
import { catalogueFromUnits } from './catalogue-source.ts';
import type { CatalogueSource } from './catalogue-source.ts';

/**
 * The units in the repository's `standards/` folder, validated once at start-up: a broken data file
 * stops the server with the standards loader's findings instead of failing a learner's request later.
 */
export function loadStandardsCatalogue(dir?: string): CatalogueSource {
  return catalogueFromUnits(loadCatalogue(dir).units);
}
