import { describe, expect, it } from 'vitest';
import type { PassbackStatus } from '@attest/contracts';
import { pollPassbackStatus } from '../src/scores/poll-passback-status.ts';

const status = (state: PassbackStatus['state'], attempts = 1, lastError: string | null = null): PassbackStatus => ({ id: 'score-1', state, attempts, lastError });

function script(statuses: PassbackStatus[]) {
  const asked: string[] = [];
  const waits: number[] = [];
  return {
    asked,
    waits,
    fetchStatus: async (id: string) => {
      asked.push(id);
      const next = statuses.shift();
      if (!next) throw new Error('polled more than scripted');
      return next;
    },
    sleep: async (ms: number) => { waits.push(ms); },
  };
}

describe('pollPassbackStatus', () => {
  it('does not poll a status that is already settled', async () => {
    const s = script([]);
    const final = await pollPassbackStatus(status('sent'), s.fetchStatus, () => {}, { sleep: s.sleep });
    expect(final.state).toBe('sent');
    expect(s.asked).toEqual([]);
  });

  it('polls by id until the score is sent, reporting only changes', async () => {
    const s = script([status('pending'), status('pending', 2, 'HTTP 503'), status('sent', 3)]);
    const updates: PassbackStatus[] = [];
    const final = await pollPassbackStatus(status('pending'), s.fetchStatus, (u) => updates.push(u), { sleep: s.sleep, delaysMs: [10, 20] });
    expect(final).toEqual(status('sent', 3));
    expect(s.asked).toEqual(['score-1', 'score-1', 'score-1']);
    expect(updates.map((u) => [u.state, u.attempts])).toEqual([['pending', 2], ['sent', 3]]);
    expect(s.waits).toEqual([10, 20, 20]);
  });

  it('stops at a failure and returns its error', async () => {
    const s = script([status('failed', 5, 'The LMS refused the score')]);
    const final = await pollPassbackStatus(status('pending'), s.fetchStatus, () => {}, { sleep: s.sleep });
    expect(final).toEqual(status('failed', 5, 'The LMS refused the score'));
  });

  it('gives up after the last allowed poll and leaves the status pending', async () => {
    const s = script([status('pending'), status('pending'), status('pending')]);
    const final = await pollPassbackStatus(status('pending'), s.fetchStatus, () => {}, { sleep: s.sleep, maxPolls: 2 });
    expect(final.state).toBe('pending');
    expect(s.asked).toHaveLength(2);
  });

  it('stops without reporting once aborted', async () => {
    const controller = new AbortController();
    const s = script([status('sent')]);
    const updates: PassbackStatus[] = [];
    const final = await pollPassbackStatus(status('pending'), s.fetchStatus, (u) => updates.push(u), {
      sleep: async () => controller.abort(),
      signal: controller.signal,
    });
    expect(final.state).toBe('pending');
    expect(updates).toEqual([]);
    expect(s.asked).toEqual([]);
  });
});
