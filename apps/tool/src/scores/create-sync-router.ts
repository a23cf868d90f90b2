import express from 'express';
import { apiRoutes } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import type { GradebookResultsReader, LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { routesOn } from '../http/register-route.ts';
import type { Authorise } from '../http/register-route.ts';
import type { JobQueue } from '../jobs/index.ts';
import { getCourseSyncReport } from './get-course-sync-report.ts';
import type { SyncCourse } from './get-course-sync-report.ts';
import { requestResync } from './request-resync.ts';
import type { Resyncer } from './request-resync.ts';

export interface SyncRouterDeps {
  readonly db: Database;
  readonly resultsReader: GradebookResultsReader;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassbacks'>;
  readonly now?: () => Date;
  readonly checkResponses?: boolean | undefined;
}

/**
 * The course of an Instructor's or Administrator's launch: a learner's launch is refused (403), and
 * the course is the launch's own, so another course's or tenant's rows are never in reach.
 */
const courseInstructor: Authorise<{ course: SyncCourse; by: Resyncer }> = (launch: LaunchContext) => {
  if (!launch.isInstructor) throw new AppError('forbidden', 'Only the course’s instructors can see and repair its gradebook sync.');
  if (launch.contextId === null) throw new AppError('forbidden', 'Open Attest from a course to see its gradebook sync.');
  const isAdministrator = launch.roles.includes('administrator');
  return {
    course: { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, contextId: launch.contextId },
    by: { userId: launch.userId, actor: { type: 'user', userId: launch.userId, role: isAdministrator ? 'administrator' : 'assessor', name: launch.userName } },
  };
};

/** /api/sync/*: the gradebook sync report and resync (issue 14, decision 22). */
export function createSyncRouter(deps: SyncRouterDeps): express.Router {
  const router = express.Router();
  const route = routesOn(router, { checkResponses: deps.checkResponses ?? false });
  const now = deps.now ?? (() => new Date());
  route(apiRoutes.getCourseSync, courseInstructor, async ({ scope }) => getCourseSyncReport(deps.db, deps.resultsReader, scope.course, now()));
  route(apiRoutes.resyncRow, courseInstructor, async ({ scope, params }) => requestResync(deps, scope.course, scope.by, { kind: 'row', passbackId: params.passbackId }));
  route(apiRoutes.resyncUnit, courseInstructor, async ({ scope, body }) => requestResync(deps, scope.course, scope.by, { kind: 'unit', lineItemUrl: body.lineItemUrl }));
  route(apiRoutes.resyncCourse, courseInstructor, async ({ scope }) => requestResync(deps, scope.course, scope.by, { kind: 'course' }));
  return router;
}
