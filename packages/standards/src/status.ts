import type { Status } from './verdict.ts';

/** All met is met (so is nothing to combine), any met or partly met is partly met, else waiting for an assessor or not met. */
export function combineStatuses(statuses: readonly Status[]): Status {
  if (statuses.every((status) => status === 'met')) return 'met';
  if (statuses.some((status) => status === 'met' || status === 'partly-met')) return 'partly-met';
  return statuses.includes('not-yet-assessed') ? 'not-yet-assessed' : 'not-met';
}

/** A count against what a rule or the centre's policy requires. */
export function countStatus(count: number, required: number): Status {
  return count >= required ? 'met' : count > 0 ? 'partly-met' : 'not-met';
}
