import type { EvidenceItem } from '@attest/contracts';
import type { z } from 'zod';
import type { UpdateMappingsRequestSchema } from '@attest/contracts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import type { LaunchContext } from '../domain/ports.ts';
import { createMappingTargetCheck } from './check-mapping-targets.ts';
import { findCourseUnitIds } from './find-course-units.ts';
import type { LearnerScope } from './learner-scope.ts';
import { updateEvidenceMappings } from './update-evidence-mappings.ts';

/**
 * The learner's new mappings for one item, each target checked against the units of their course:
 * those placed in it or launched in it, and the launch's own unit even before anyone recorded it.
 */
export async function changeEvidenceMappings(db: Database, catalogue: CatalogueSource, launch: LaunchContext, scope: LearnerScope, itemId: string, request: z.output<typeof UpdateMappingsRequestSchema>): Promise<EvidenceItem> {
  const units = await findCourseUnitIds(db, scope);
  if (launch.unitId !== null) units.add(launch.unitId);
  return updateEvidenceMappings(db, scope, itemId, request, createMappingTargetCheck(catalogue, units));
}
