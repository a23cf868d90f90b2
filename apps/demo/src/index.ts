// The demo as a library, for the browser tests that open what `npm start` prints.
export { startDemo, formatDemoUrls, describeSeeded, demoCourseTitle, demoUnitIds, type Demo, type DemoOptions, type DemoPerson, type DemoEvidenceOutcome } from './start-demo.ts';
export { demoEvidence, drawReturnsBoardPhoto, type DemoEvidence, type DemoEvidenceFile } from './demo-evidence.ts';
export { encodePng, type PngPicture, type Rgb } from './encode-png.ts';
export type { SeededEvidence } from './seed-learner-evidence.ts';
