// The portfolio read model (issue 9, docs/decisions/0012): what the learner's feature (src/evidence)
// and the assessor's (src/assessment) both read about one learner's unit, owned by neither. It reads
// any table and writes none; both features import from here and from src/db, never from each other.
//
//   learnerScopeOf(launch) / LearnerScope / CourseKey      whose portfolio, in which course
//   loadEvidenceRecords / loadEvidenceItems / loadCourseEvidenceRecords   items with files, mappings, feedback (one query)
//   loadAssessorRecords / toAssessorFactsSources            the assessor's records, and those that count as evidence
//   evaluateLearnerUnit(db, unit, scope, asOf)              the engine's verdict over items, records and signatures
//   assessLearnerUnit(db, unit, scope, asOf)                …with signatures, plan, report, sign-off gate and next steps
//   assessCourseLearners(db, unit, course, ids, asOf)       the same for a whole roster, from a fixed number of queries
//   loadUnitSignatures / stageOf / findActionPlan / findReport   the signature chain and the assessor's documents
//   refuseIfUnitsSigned / refuseIfItemCovered / findSignedUnits  what a signed-off unit freezes
//   lockLearnerItem / lockUnitItems / lockLearnerUnit       the locks both sides take, in one order
//   createMappingTargetCheck / findCourseUnitIds            what a mapping may name
//   getEvidenceFile / findItemLearner / serveEvidenceFile   file access for learner and assessor routes
export { learnerScopeOf, fileStoreTenantId, isUuid } from './learner-scope.ts';
export type { CourseKey, LearnerScope } from './learner-scope.ts';
export { loadCourseEvidenceRecords, loadEvidenceItems, loadEvidenceRecords, loadUnitFeedback } from './load-evidence-items.ts';
export type { EvidenceRecord } from './load-evidence-items.ts';
export { loadAssessorRecords, toAssessorFactsSources } from './load-assessor-records.ts';
export { evaluateLearnerUnit } from './evaluate-learner-unit.ts';
export type { LearnerUnitEvaluation } from './evaluate-learner-unit.ts';
export { assessLearnerUnit } from './assess-learner-unit.ts';
export type { LearnerUnitAssessment } from './assess-learner-unit.ts';
export { assessCourseLearners } from './assess-course-learners.ts';
export { loadUnitSignatures, stageOf } from './load-unit-signatures.ts';
export { findActionPlan, findReport } from './load-assessment-documents.ts';
export { findSignedUnits, refuseIfItemCovered, refuseIfUnitsSigned } from './signed-off-guard.ts';
export { lockLearnerItem, lockLearnerUnit, lockUnitItems } from './portfolio-locks.ts';
export { createMappingTargetCheck } from './check-mapping-targets.ts';
export type { MappingTargetCheck } from './check-mapping-targets.ts';
export { findCourseUnitIds } from './find-course-units.ts';
export { findEvidenceFile, getEvidenceFile } from './find-evidence-file.ts';
export { findItemLearner } from './find-item-learner.ts';
export { serveEvidenceFile } from './serve-evidence-file.ts';
export type { EvidenceFileDisposition } from './serve-evidence-file.ts';
