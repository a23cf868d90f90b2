import type { Status } from './verdict.ts';

/** All met is met (so is nothing to combine), any met or partly met is partly met, else waiting for an assessor or not met. */
export function combineStatuses(statuses: readonly Status[]): Status {
  let met = 0;
  let partlyMet = 0;
  let awaiting = 0;
  for (const status of statuses) {
    if (status === 'met') met++;
    else if (status === 'partly-met') partlyMet++;
    else if (status === 'not-yet-assessed') awaiting++;
  }
  if (met === statuses.length) return 'met';
  if (met > 0 || partlyMet > 0) return 'partly-met';
  return awaiting > 0 ? 'not-yet-assessed' : 'not-met';
}

/** A count against what a rule or the centre's policy requires. */
export function countStatus(count: number, required: number): Status {
  return count >= required ? 'met' : count > 0 ? 'partly-met' : 'not-met';
}
