// The learner portfolio (issue 3): use cases over the evidence tables and the file store, and the
// routes that expose them. Routes stay thin; everything a test or the demo needs is a function here.
// What the learner and the assessor both read (scope, items, verdict, files) is in src/portfolio.
export { createEvidenceItem } from './create-evidence-item.ts';
export { updateEvidenceDraft } from './update-evidence-draft.ts';
export { updateEvidenceMappings } from './update-evidence-mappings.ts';
export { submitEvidenceItem } from './submit-evidence-item.ts';
export { getEvidenceHistory } from './get-evidence-history.ts';
export { addEvidenceFile, DEFAULT_UPLOAD_POLICY } from './add-evidence-file.ts';
export type { UploadPolicy } from './add-evidence-file.ts';
export { deleteEvidenceFile } from './delete-evidence-file.ts';
export { getPortfolio } from './get-portfolio.ts';
export { seedLearnerEvidence } from './seed-learner-evidence.ts';
export type { SeedEvidenceItem, SeedLearnerEvidenceInput } from './seed-learner-evidence.ts';
export { createEvidenceRouter } from './create-evidence-router.ts';
export type { EvidenceRouterDeps } from './create-evidence-router.ts';
