import type { LaunchContext, RosterMember, RosterSource } from '../domain/ports.ts';
import type { LaunchedMember } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';

const LEARNER_ROLE = /(^|#|\/)Learner$/;

export interface RosterCache {
  /**
   * The course's learners (NRPS), fetched at most once per `ttlMs` per course; where the LMS shares
   * no roster (`rosterIsShared` false), the learners who have launched Attest in the course.
   */
  learnersOf(launch: LaunchContext): Promise<readonly RosterMember[]>;
  /** The learner with this id in the launch's course, or 404: another course's or tenant's learner is simply not here. */
  getLearner(launch: LaunchContext, userId: string): Promise<RosterMember>;
}

export interface RosterCacheOptions {
  readonly ttlMs?: number;
  readonly now?: () => number;
  /** Everyone who has launched in the launch's course, with their latest launch's roles (db/latest-launch-members.ts). */
  readonly launchedMembers?: (launch: LaunchContext) => Promise<ReadonlyMap<string, LaunchedMember>>;
}

/**
 * Whether the LMS lists the course's people for Attest (NRPS). Moodle offers no roster to a tool
 * configured by hand unless its administrator turns the service on ("IMS LTI Names and Role
 * Provisioning", default "Do not use this service": mod/lti/service/memberships/classes/local/service/
 * memberships.php get_configuration_options); Attest then knows only the people who have launched.
 */
export const rosterIsShared = (launch: Pick<LaunchContext, 'membershipsUrl'>): boolean => launch.membershipsUrl !== null;

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
 * The course's learners: from the roster where the LMS gives one, each decided by their latest
 * launch where they have one; from the launches alone where it does not (`roster` null), since
 * those are all Attest knows of the course's people then.
 */
export function learnersAmong(roster: readonly RosterMember[] | null, launched: ReadonlyMap<string, LaunchedMember>): RosterMember[] {
  if (roster !== null) return roster.filter((member) => isLearnerOfCourse(member, launched.get(member.userId)?.roles));
  return [...launched].flatMap(([userId, { roles, name, email }]) => {
    const member: RosterMember = { userId, name, email, roles, status: null };
    return isLearnerOfCourse(member, roles) ? [member] : [];
  });
}

/**
 * NRPS is a round trip to the LMS with its own token; an assessor moving between learners would
 * pay it on every screen. A short cache per course keeps that to one call, and is short enough
 * that a newly enrolled learner appears within the minute.
 */
export function createRosterCache(source: RosterSource, options: RosterCacheOptions = {}): RosterCache {
  const ttlMs = options.ttlMs ?? 30_000;
  const launchedMembers = options.launchedMembers ?? (async () => new Map<string, LaunchedMember>());
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: Promise<readonly RosterMember[]> }>();
  const cacheKey = (launch: LaunchContext) => JSON.stringify([launch.issuer, launch.clientId, launch.deploymentId, launch.contextId, launch.membershipsUrl]);

  async function learnersOf(launch: LaunchContext, isFresh = false): Promise<readonly RosterMember[]> {
    const key = cacheKey(launch);
    const hit = cache.get(key);
    if (hit && !isFresh && now() - hit.at < ttlMs) return hit.members;
    const members = Promise.all([rosterIsShared(launch) ? source.membersOf(launch) : null, launchedMembers(launch)]).then(([roster, launched]) => learnersAmong(roster, launched));
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
