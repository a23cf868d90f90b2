import type { PassbackStatus } from '@attest/contracts';

export interface PollOptions {
  /** Waits between polls, in order; the last one repeats. Short first: most passbacks settle fast. */
  delaysMs?: readonly number[];
  /** Polls to make before giving up and leaving the status as pending. */
  maxPolls?: number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

const defaultDelays = [500, 1000, 2000, 3000, 5000];
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const isSettled = (status: PassbackStatus): boolean => status.state !== 'pending';

/**
 * Polls until the passback is sent or failed, reporting each status that differs from the last,
 * and returns the final one. Stops early, returning the latest status, when the signal aborts
 * (the form was resubmitted or the page left) or after `maxPolls` polls.
 */
export async function pollPassbackStatus(
  first: PassbackStatus,
  fetchStatus: (id: string) => Promise<PassbackStatus>,
  onUpdate: (status: PassbackStatus) => void,
  { delaysMs = defaultDelays, maxPolls = 40, sleep = defaultSleep, signal }: PollOptions = {},
): Promise<PassbackStatus> {
  let current = first;
  for (let poll = 0; poll < maxPolls && !isSettled(current); poll++) {
    await sleep(delaysMs[Math.min(poll, delaysMs.length - 1)] ?? 1000);
    if (signal?.aborted) return current;
    const next = await fetchStatus(current.id);
    if (signal?.aborted) return current;
    if (next.state !== current.state || next.attempts !== current.attempts || next.lastError !== current.lastError) onUpdate(next);
    current = next;
  }
  return current;
}
