import { EvidenceDraftSchema, EvidenceMappingTargetSchema } from '@attest/contracts';
import type { EvidenceDraft, EvidenceItem, EvidenceMappingTarget } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { addEvidenceFile } from './add-evidence-file.ts';
import { createMappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import { createEvidenceItem } from './create-evidence-item.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { submitEvidenceItem } from './submit-evidence-item.ts';
import { updateEvidenceMappings } from './update-evidence-mappings.ts';

export interface SeedEvidenceItem {
  readonly draft: EvidenceDraft;
  /** Checked against the catalogue like a learner's own mappings (unknown refs throw). */
  readonly mappings?: readonly EvidenceMappingTarget[];
  /** Stored through the same content checks as an upload; needs `fileStore`. */
  readonly files?: readonly { readonly name: string; readonly bytes: Uint8Array; readonly mediaType?: string }[];
  /** Submit for assessment with the authenticity declaration after mapping. */
  readonly submit?: boolean;
}

export interface SeedLearnerEvidenceInput {
  /** The learner's tenant, course and LMS user id, exactly as their launches carry them. */
  readonly learner: LearnerScope;
  readonly items: readonly SeedEvidenceItem[];
}

/**
 * Puts evidence into a learner's portfolio through the same use cases the API runs (drafts,
 * history, mapping checks, submission), for the demo and for tests. The learner need not have
 * launched yet: mappings may name any unit in the catalogue. Returns the items as the API shows them.
 *
 *   await seedLearnerEvidence(tool, { learner: { issuer, clientId, deploymentId, contextId, learnerUserId }, items: [
 *     { draft: { title: 'Returns desk, Saturday', description: '…', evidenceType: 'personal-statement', activityDate: '2026-11-14',
 *                customerRef: 'Mrs P', occasionRef: 'Saturday rush', workSetting: 'real-job' },
 *       mappings: [{ unitId: 'unit-201', target: 'statement', ref: '1.1' }], submit: true },
 *   ] });
 */
export async function seedLearnerEvidence(
  tool: { readonly db: Database; readonly catalogue: CatalogueSource; readonly fileStore?: FileStore },
  input: SeedLearnerEvidenceInput,
): Promise<EvidenceItem[]> {
  const check = createMappingTargetCheck(tool.catalogue, null);
  const seeded: EvidenceItem[] = [];
  for (const seed of input.items) {
    let item = await createEvidenceItem(tool.db, input.learner, EvidenceDraftSchema.parse(seed.draft));
    for (const file of seed.files ?? []) {
      if (!tool.fileStore) throw new Error('seedLearnerEvidence: files need the tool server’s fileStore');
      item = await addEvidenceFile(tool.db, tool.fileStore, input.learner, item.id, { source: file.bytes, fileName: file.name, declaredMimeType: file.mediaType });
    }
    if (seed.mappings && seed.mappings.length > 0) {
      const mappings = seed.mappings.map((m) => EvidenceMappingTargetSchema.parse(m));
      item = await updateEvidenceMappings(tool.db, input.learner, item.id, { baseVersion: item.version, mappings }, check);
    }
    if (seed.submit) item = await submitEvidenceItem(tool.db, input.learner, item.id, { baseVersion: item.version });
    seeded.push(item);
  }
  return seeded;
}
