import type { LaunchContext, TenantKey } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';

/** The assessor's launch as the assessor routes need it: one unit activity in one course of one tenant. */
export interface AssessorScope extends TenantKey {
  readonly contextId: string;
  readonly unitId: string;
  readonly userId: string;
  readonly userName: string | null;
  readonly isAdministrator: boolean;
  /** The activity's AGS line item, when the platform lets Attest post scores to it. */
  readonly lineItemUrl: string | null;
  /** Canvas shows a Submitted/PendingManual score as "needs grading"; Moodle would clear a grade with it. */
  readonly isCanvas: boolean;
}

/**
 * An Instructor's (or Administrator's) resource-link launch of a unit in a course. Learners are
 * refused with 403 before anything is looked up; a launch without a course or unit has no caseload.
 */
export function assessorScopeOf(launch: LaunchContext): AssessorScope {
  if (!launch.isInstructor) throw new AppError('forbidden', 'Only assessors (the course’s instructors) can do this.');
  if (launch.messageType !== 'LtiResourceLinkRequest' || launch.contextId === null || launch.unitId === null) {
    throw new AppError('forbidden', 'Open a unit activity from your course to assess learners on it.');
  }
  return {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    contextId: launch.contextId,
    unitId: launch.unitId,
    userId: launch.userId,
    userName: launch.userName,
    isAdministrator: launch.roles.includes('administrator'),
    lineItemUrl: launch.canPostScores ? launch.lineItemUrl : null,
    isCanvas: launch.platformFamily === 'canvas',
  };
}

/** One learner's portfolio in the assessor's course. */
export function learnerScopeIn(scope: AssessorScope, learnerUserId: string): LearnerScope {
  return { issuer: scope.issuer, clientId: scope.clientId, deploymentId: scope.deploymentId, contextId: scope.contextId, learnerUserId };
}
