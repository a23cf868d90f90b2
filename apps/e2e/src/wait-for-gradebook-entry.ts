import type { GradebookEntry, PlatformEmulator } from '@attest/platform-emulator';
import { UI_WAIT_MS } from './patience.ts';

export interface GradebookWait {
  readonly emulator: PlatformEmulator;
  readonly courseId: string;
  readonly userId: string;
  readonly lineItemId: string;
  /** What the entry must show, e.g. FullyGraded. */
  readonly isDone: (entry: GradebookEntry) => boolean;
  /** In words, for the failure message ("the completion"). */
  readonly what: string;
  readonly timeoutMs?: number;
  /** Lines to add to the failure message, read when it fails (the tool's log). */
  readonly explain?: () => readonly string[];
}

/**
 * Polls the emulator's gradebook until the learner's entry on the line item satisfies `isDone`.
 * The tool sends scores from its job queue, after the request that caused them has answered, so a
 * browser test cannot know when to look; it waits, bounded, and on failure says what the gradebook
 * held instead and what the tool logged.
 */
export async function waitForGradebookEntry(wait: GradebookWait): Promise<{ entry: GradebookEntry; waitedMs: number }> {
  const started = Date.now();
  const timeoutMs = wait.timeoutMs ?? UI_WAIT_MS;
  const find = () => wait.emulator.getGradebook(wait.courseId).find((entry) => entry.userId === wait.userId && entry.lineItemId === wait.lineItemId) ?? null;
  for (;;) {
    const entry = find();
    if (entry !== null && wait.isDone(entry)) return { entry, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) {
      const log = wait.explain?.() ?? [];
      throw new Error(
        `The LMS gradebook did not show ${wait.what} for user ${wait.userId} within ${timeoutMs / 1000} s. ` +
          `It holds: ${entry === null ? 'no entry' : JSON.stringify({ scoreGiven: entry.scoreGiven, activityProgress: entry.activityProgress, gradingProgress: entry.gradingProgress, acceptedScores: entry.acceptedScores })}.` +
          (log.length > 0 ? `\nThe tool logged:\n${log.slice(-20).join('\n')}` : ''),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
