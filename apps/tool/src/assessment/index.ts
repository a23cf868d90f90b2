// The assessor's side (issue 4): caseload from NRPS, judging learners' evidence, the assessor's own
// Appendix 2 records, action plan, feedback, assessment report, the signature chain gated by the
// engine's verdict, and the unit's completion sent to the gradebook through the durable passback.
export { createAssessorRouter } from './create-assessor-router.ts';
export type { AssessorRouterDeps } from './create-assessor-router.ts';
export { assessorScopeOf } from './assessor-scope.ts';
export type { AssessorScope } from './assessor-scope.ts';
export { canonicalJson, digestOf } from '../db/digest-of.ts';
export { seedAssessorWork } from './seed-assessor-work.ts';
export type { SeedAssessorWorkInput } from './seed-assessor-work.ts';
