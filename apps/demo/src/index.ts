// The demo as a library, for the browser tests that open what `npm start` prints.
export { startDemo, formatDemoUrls, describeSeeded, describeReady, demoCourseTitle, demoUnitIds, type Demo, type DemoOptions, type DemoPerson, type DemoEvidenceOutcome, type DemoReadyOutcome } from './start-demo.ts';
export { demoEvidence, drawReturnsBoardPhoto, type DemoEvidence, type DemoEvidenceFile } from './demo-evidence.ts';
export { encodePng, type PngPicture, type Rgb } from './encode-png.ts';
export type { SeededEvidence } from './seed-learner-evidence.ts';
export { readyLearnerAssessment, type ReadyLearnerAssessment, type DemoRecord } from './ready-learner-assessment.ts';
export { seedReadyForSignOff, type SeededReadyForSignOff, type SeedReadyForSignOffInput } from './seed-ready-for-sign-off.ts';
export { seedLearnerEvidence, type SeedLearnerEvidenceInput } from './seed-learner-evidence.ts';
export { launchToolApi } from './launch-tool-api.ts';
export { ToolApi, ToolApiError } from './tool-api.ts';
