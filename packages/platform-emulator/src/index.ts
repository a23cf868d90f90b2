// An LMS test double that behaves as Moodle 5.1 or Canvas document; see README.md.
export { startPlatformEmulator } from './start-platform-emulator.ts';
export * from './types.ts';
export type { CanvasSubmissionComment, CanvasSubmissionRecord } from './canvas/submission-rules.ts';
export { parseEmulatorSnapshot } from './emulator-snapshot.ts';
export type { EmulatorSnapshot } from './emulator-snapshot.ts';
