import type { AttestRole } from '@attest/contracts';
import {
  ROLE_CONTEXT_ADMINISTRATOR,
  ROLE_CONTEXT_INSTRUCTOR,
  ROLE_CONTEXT_LEARNER,
  ROLE_CONTEXT_PREFIX,
  ROLE_CONTEXT_TEACHING_ASSISTANT,
  ROLE_INSTITUTION_ADMINISTRATOR,
  ROLE_SYSTEM_ADMINISTRATOR,
  ROLE_SYSTEM_SYSADMIN,
} from './claims.ts';

// LTI 1.3 core Appendix A.2.3 lets a context role arrive as a bare name ("Learner"); older
// platforms still send those, so they count as the full membership URI.
const SIMPLE_CONTEXT_ROLES: Readonly<Record<string, string>> = {
  Learner: ROLE_CONTEXT_LEARNER,
  Instructor: ROLE_CONTEXT_INSTRUCTOR,
  Administrator: ROLE_CONTEXT_ADMINISTRATOR,
};

function normalise(uri: string): string {
  return SIMPLE_CONTEXT_ROLES[uri] ?? uri;
}

/** `…/membership/Instructor#TeachingAssistant` is a sub-role of Instructor (core A.2.3.1). */
function isSubRoleOf(uri: string, principal: 'Learner' | 'Instructor'): boolean {
  return uri.startsWith(`${ROLE_CONTEXT_PREFIX}/${principal}#`);
}

/**
 * Maps the LTI roles claim to the roles Attest acts on. Only *context* roles make a learner or an
 * instructor: Canvas sends institution roles (e.g. institution Instructor) for every course a
 * teacher has, which says nothing about this course. Administrators are recognised at any level.
 */
export function toRoles(roleUris: readonly string[]): readonly AttestRole[] {
  const uris = roleUris.map(normalise);
  const roles = new Set<AttestRole>();
  for (const uri of uris) {
    if (uri === ROLE_CONTEXT_LEARNER || isSubRoleOf(uri, 'Learner')) roles.add('learner');
    if (uri === ROLE_CONTEXT_INSTRUCTOR || isSubRoleOf(uri, 'Instructor')) roles.add('instructor');
    if (uri === ROLE_CONTEXT_ADMINISTRATOR || uri === ROLE_INSTITUTION_ADMINISTRATOR || uri === ROLE_SYSTEM_ADMINISTRATOR || uri === ROLE_SYSTEM_SYSADMIN) {
      roles.add('administrator');
    }
  }
  // A stable order keeps sessions and snapshots comparable.
  return (['learner', 'instructor', 'administrator'] as const).filter((role) => roles.has(role));
}

/** Canvas marks TAs as Instructor plus this sub-role; Attest may later limit what a TA signs off. */
export function isTeachingAssistant(roleUris: readonly string[]): boolean {
  return roleUris.includes(ROLE_CONTEXT_TEACHING_ASSISTANT);
}

/**
 * Whether the launch comes from an administrator of the whole LMS, who may manage Attest's
 * registration of that LMS in the administration console (decision 21). Only institution and
 * system roles count: Moodle sends system and institution `person#Administrator` for a site
 * administrator (lti_get_ims_role, `urn:lti:sysrole:ims/lis/Administrator` and
 * `urn:lti:instrole:ims/lis/Administrator`, mapped to these URIs in the LTI 1.3 JWT), Canvas the
 * institution `person#Administrator` for an account admin (Canvas's LTI roles table). A course's
 * `membership#Administrator` manages one course, not the LMS, so it does not.
 */
export function isPlatformAdministrator(roleUris: readonly string[]): boolean {
  return roleUris.some((uri) => uri === ROLE_INSTITUTION_ADMINISTRATOR || uri === ROLE_SYSTEM_ADMINISTRATOR || uri === ROLE_SYSTEM_SYSADMIN);
}
