import type { Response } from 'express';
import type { LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';

/** The launch the adapter's `authenticate` put on the response; a route without one is a wiring bug. */
export function launchOf(res: Response): LaunchContext {
  const launch = res.locals['launch'] as LaunchContext | undefined;
  if (!launch) throw new AppError('unauthenticated', 'Open the activity from your course again.', { logMessage: 'route reached without authenticate' });
  return launch;
}

export function requireInstructor(launch: LaunchContext): void {
  // Who counts as teaching is decided once, in toLaunchContext, so the launch view and every route agree.
  if (!launch.isInstructor) throw new AppError('forbidden', 'Only instructors and assessors can do this.');
}

/** Units are placed only from the LMS's "add activity" flow: a Deep Linking request launch (LTI Deep Linking 2.0 §4.4). */
export function requireDeepLinkingLaunch(launch: LaunchContext): void {
  if (launch.messageType !== 'LtiDeepLinkingRequest') throw new AppError('forbidden', 'Units can only be placed from the LMS’s “add activity” flow.');
}
