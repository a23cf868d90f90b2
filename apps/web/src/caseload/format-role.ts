const readableRoles: Record<string, string> = {
  Learner: 'Learner',
  Student: 'Learner',
  Instructor: 'Instructor',
  TeachingAssistant: 'Teaching assistant',
  ContentDeveloper: 'Content developer',
  Administrator: 'Administrator',
  Mentor: 'Mentor',
};

/**
 * A readable name for an LTI role. NRPS gives full URIs
 * (`http://purl.imsglobal.org/vocab/lis/v2/membership#Learner`, or a sub-role such as
 * `…/membership/Instructor#TeachingAssistant`) and some platforms send short names; all of them
 * end in the name we want.
 * @see https://www.imsglobal.org/spec/lti/v1p3/#role-vocabularies
 */
export function formatRole(role: string): string {
  const name = role.split(/[#/]/).filter((part) => part !== '').at(-1) ?? role;
  return readableRoles[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** The distinct readable roles of a member, in the order given, as one line of text. */
export function formatRoles(roles: readonly string[]): string {
  return [...new Set(roles.map(formatRole))].join(', ');
}
