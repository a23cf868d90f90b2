import type { LaunchContext, RosterMember, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';

const LEARNER_ROLE = /(^|#|\/)Learner$/;

export interface RosterCache {
  /** The course's learners (NRPS), fetched at most once per `ttlMs` per course. */
  learnersOf(launch: LaunchContext): Promise<readonly RosterMember[]>;
  /** The learner with this id in the launch's course, or 404: another course's or tenant's learner is simply not here. */
  getLearner(launch: LaunchContext, userId: string): Promise<RosterMember>;
}

export interface RosterCacheOptions {
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** Each user's roles at their latest launch in the launch's course (db/latest-launch-roles.ts). */
  readonly launchedRoles?: (launch: LaunchContext) => Promise<ReadonlyMap<string, readonly string[]>>;
}

/**
 * Whether a member is one of the course's learners. Their latest launch in the course decides where
 * there is one, the roster only for people who have not launched: Moodle's NRPS decides roles at
 * course level (moodle/course:manageactivities) and lists a non-editing teacher, whose launches say
 * Instructor (mod/lti:manage), as a Learner — an assessor enrolled that way, common in colleges,
 * would otherwise be listed among the learners.
 */
export function isLearnerOfCourse(member: RosterMember, rolesAtLatestLaunch: readonly string[] | undefined): boolean {
  const isActive = member.status === null || /(^|#)Active$/.test(member.status);
  return isActive && (rolesAtLatestLaunch ?? member.roles).some((role) => LEARNER_ROLE.test(role));
}

/**
 * NRPS is a round trip to the LMS with its own token; an assessor moving between learners would
 * pay it on every screen. A short cache per course keeps that to one call, and is short enough
 * that a newly enrolled learner appears within the minute.
 */
export function createRosterCache(source: RosterSource, options: RosterCacheOptions = {}): RosterCache {
  const ttlMs = options.ttlMs ?? 30_000;
  const launchedRoles = options.launchedRoles ?? (async () => new Map<string, readonly string[]>());
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Promise<readonly RosterMember[]> }>();
  const cacheKey = (launch: LaunchContext) => JSON.stringify([launch.issuer, launch.clientId, launch.deploymentId, launch.contextId, launch.membershipsUrl]);

  async function learnersOf(launch: LaunchContext, isFresh = false): Promise<readonly RosterMember[]> {
    const key = cacheKey(launch);
    const hit = cache.get(key);
    if (hit && !isFresh && now() - hit.at < ttlMs) return hit.members;
    const members = Promise.all([source.membersOf(launch), launchedRoles(launch)]).then(([all, launched]) => all.filter((member) => isLearnerOfCourse(member, launched.get(member.userId))));
    cache.set(key, { at: now(), members });
    // A failed fetch is not cached: the next screen asks the LMS again.
    members.catch(() => cache.delete(key));
    // Bounded: a long-running server sees many courses.
    if (cache.size > 500) cache.delete(cache.keys().next().value as string);
    return members;
  }

  return {
    learnersOf: (launch) => learnersOf(launch),
    async getLearner(launch, userId) {
      // A learner enrolled since the roster was cached is asked about once more before a 404.
      const member = (await learnersOf(launch)).find((m) => m.userId === userId) ?? (await learnersOf(launch, true)).find((m) => m.userId === userId);
      if (!member) throw new AppError('not_found', 'There is no learner with this id in your course.');
      return member;
    },
  };
}
