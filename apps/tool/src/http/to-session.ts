import type { Session } from '@attest/contracts';
import type { LaunchContext } from '../domain/ports.ts';
import { SCOPE_AGS_SCORE } from '../lti/claims.ts';
import { focusLearnerOfLaunch, isInstructorLaunch, toLaunchView } from '../lti/to-launch-context.ts';

/** AGS §3.1: the scope a tool needs to post scores (the one constant lives in src/lti/claims.ts). */
export const AGS_SCORE_SCOPE = SCOPE_AGS_SCORE;

export function toSession(launch: LaunchContext): Session {
  return {
    // Which screen opens is decided where the launch is mapped; the session only reports it.
    view: toLaunchView(launch),
    user: { id: launch.userId, name: launch.userName, roles: [...launch.roles], isTeachingAssistant: launch.isTeachingAssistant },
    platform: { issuer: launch.issuer, name: launch.platformName },
    context: launch.contextId === null ? null : { id: launch.contextId, title: launch.contextTitle },
    resourceLink: launch.resourceLinkId === null ? null : { id: launch.resourceLinkId, title: launch.resourceLinkTitle },
    unitId: launch.unitId,
    canPostScores: isInstructorLaunch(launch) && launch.lineItemUrl !== null && launch.agsScopes.includes(AGS_SCORE_SCOPE),
    focusLearnerUserId: isInstructorLaunch(launch) ? focusLearnerOfLaunch(launch) : null,
  };
}
