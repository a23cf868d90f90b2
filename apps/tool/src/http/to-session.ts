import type { LaunchView, Session } from '@attest/contracts';
import type { LaunchContext } from '../domain/ports.ts';
import { isInstructor } from './launch-of.ts';

/** AGS §3.1: the scope a tool needs to post scores. */
export const AGS_SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

export function launchView(launch: LaunchContext): LaunchView {
  if (launch.messageType === 'LtiDeepLinkingRequest') return 'deep-linking';
  return isInstructor(launch) ? 'instructor-caseload' : 'learner-unit';
}

export function toSession(launch: LaunchContext): Session {
  return {
    view: launchView(launch),
    user: { id: launch.userId, name: launch.userName, roles: [...launch.roles], isTeachingAssistant: launch.isTeachingAssistant },
    platform: { issuer: launch.issuer, name: launch.platformName },
    context: launch.contextId === null ? null : { id: launch.contextId, title: launch.contextTitle },
    resourceLink: launch.resourceLinkId === null ? null : { id: launch.resourceLinkId, title: launch.resourceLinkTitle },
    unitId: launch.unitId,
    canPostScores: isInstructor(launch) && launch.lineItemUrl !== null && launch.agsScopes.includes(AGS_SCORE_SCOPE),
  };
}
