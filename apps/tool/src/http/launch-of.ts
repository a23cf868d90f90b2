import type { Response } from 'express';
import type { LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { isInstructorLaunch } from '../lti/to-launch-context.ts';

/** The launch the adapter's `authenticate` put on the response; a route without one is a wiring bug. */
export function launchOf(res: Response): LaunchContext {
  const launch = res.locals['launch'] as LaunchContext | undefined;
  if (!launch) throw new AppError('unauthenticated', 'Open the activity from your course again.', { logMessage: 'route reached without authenticate' });
  return launch;
}

// Who counts as teaching is decided once, beside the role mapping, so the launch view and every
// route agree; the routes' callers keep this name.
export { isInstructorLaunch as isInstructor };

export function requireInstructor(launch: LaunchContext): void {
  if (!isInstructorLaunch(launch)) throw new AppError('forbidden', 'Only instructors and assessors can do this.');
}
