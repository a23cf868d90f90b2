import type { Session } from '@attest/contracts';
import type { LaunchContext } from '../domain/ports.ts';
import { focusLearnerOfLaunch, toLaunchView } from '../lti/to-launch-context.ts';

/** `canAdminister`: looked up by the caller (an LMS administrator, or one Attest made; decision 21). */
export function toSession(launch: LaunchContext, canAdminister: boolean): Session {
  return {
    // Which screen opens is decided where the launch is mapped; the session only reports it.
    view: toLaunchView(launch),
    user: { id: launch.userId, name: launch.userName, roles: [...launch.roles], isTeachingAssistant: launch.isTeachingAssistant },
    platform: { issuer: launch.issuer, name: launch.platformName },
    context: launch.contextId === null ? null : { id: launch.contextId, title: launch.contextTitle },
    resourceLink: launch.resourceLinkId === null ? null : { id: launch.resourceLinkId, title: launch.resourceLinkTitle },
    unitId: launch.unitId,
    // The caseload's "no gradebook column" notice: reported to those who assess.
    canPostScores: launch.isInstructor && launch.canPostScores,
    focusLearnerUserId: launch.isInstructor ? focusLearnerOfLaunch(launch) : null,
    canAdminister,
  };
}
