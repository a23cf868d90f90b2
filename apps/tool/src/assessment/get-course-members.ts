import type { Caseload } from '@attest/contracts';
import type { LaunchContext, RosterSource } from '../domain/ports.ts';
import { toRoles } from '../lti/to-roles.ts';

/**
 * The launch's course as its NRPS roster lists it (GET /api/caseload). Who is a learner is read
 * with the same mapping as the launch's own roles (toRoles: context Learner roles, bare or as a
 * membership URI, and their sub-roles), not a pattern of its own.
 */
export async function getCourseMembers(rosterSource: RosterSource, launch: LaunchContext): Promise<Caseload> {
  const members = await rosterSource.membersOf(launch);
  return {
    unitId: launch.unitId,
    members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, roles: [...m.roles], isLearner: toRoles(m.roles).includes('learner') })),
  };
}
