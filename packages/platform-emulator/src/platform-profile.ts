// What differs between the emulated LMSs: endpoint paths, the issuer, ids, and how roles are sent.
// The score rules live in accept-score.ts; everything here is plain data or a pure function.
import type { CourseRole, PlatformMode, User } from './types.ts';
import { Role } from './lti-vocabulary.ts';

export interface PlatformPaths {
  readonly jwks: string;
  readonly authorize: string;
  readonly token: string;
  readonly openidConfiguration: string;
  readonly registration: string;
  /** Where the browser starts a resource-link launch (the page that hands over to the tool's login URL). */
  readonly launch: string;
  readonly deepLinkingLaunch: string;
  /** Express pattern; may hold :courseId. */
  readonly deepLinkingReturn: string;
  /** Express patterns with :courseId (and :itemId). */
  readonly lineItems: string;
  readonly lineItem: string;
  readonly memberships: string;
}

export interface PlatformProfile {
  readonly mode: PlatformMode;
  readonly productFamilyCode: string;
  readonly version: string;
  readonly defaultName: string;
  readonly paths: PlatformPaths;
  issuerFor(baseUrl: string): string;
  rolesFor(role: CourseRole | null, user: User): string[];
  /** The roles NRPS lists for a member, where the platform decides them otherwise than for a launch. */
  memberRolesFor?(role: CourseRole | null, user: User): string[];
  lineItemsUrl(baseUrl: string, courseId: string, deploymentId: string): string;
  lineItemUrl(baseUrl: string, courseId: string, itemId: string, deploymentId: string): string;
  membershipsUrl(baseUrl: string, courseId: string, deploymentId: string): string;
  deepLinkingReturnUrl(baseUrl: string, courseId: string, deploymentId: string): string;
  /** Service calls without a User-Agent header are refused. */
  readonly requiresUserAgent: boolean;
  /** The `https://canvas.instructure.com/lti/submission` score extension is read and recorded. */
  readonly readsCanvasSubmission: boolean;
  /**
   * A deep-linking return only fills the activity form; the activities exist once the teacher saves
   * it, and `auto_create` is sent false. Otherwise each returned link is placed on arrival.
   */
  readonly deepLinkingFillsActivityForm: boolean;
}

export const moodleProfile: PlatformProfile = {
  mode: 'moodle',
  productFamilyCode: 'moodle',
  version: '5.1',
  defaultName: 'Emulated Moodle',
  // Paths as Moodle serves them (mod/lti/*.php; AGS/NRPS through mod/lti/services.php), so a tool that
  // assumes a URL shape (e.g. appends /scores after a query string) fails here as it would there.
  paths: {
    jwks: '/mod/lti/certs.php',
    authorize: '/mod/lti/auth.php',
    token: '/mod/lti/token.php',
    openidConfiguration: '/mod/lti/openid-configuration.php',
    registration: '/mod/lti/openid-registration.php',
    launch: '/mod/lti/launch.php',
    deepLinkingLaunch: '/mod/lti/contentitem.php',
    deepLinkingReturn: '/mod/lti/contentitem_return.php',
    lineItems: '/mod/lti/services.php/:courseId/lineitems',
    lineItem: '/mod/lti/services.php/:courseId/lineitems/:itemId/lineitem',
    memberships: '/mod/lti/services.php/CourseSection/:courseId/bindings/:typeId/memberships',
  },
  // Moodle's issuer is $CFG->wwwroot (mod/lti/openid-configuration.php: 'issuer' => $CFG->wwwroot).
  issuerFor: (baseUrl) => baseUrl,
  // mod/lti/locallib.php lti_get_ims_role() (core_ltix\helper::get_ims_role() in 5.1): Instructor if the
  // user has mod/lti:manage (editingteacher, teacher = non-editing teacher, manager; mod/lti/db/access.php),
  // else Learner; site admins lose Learner and gain the sys/inst Administrator roles. The LTI 1.3 JWT
  // maps 'Instructor'/'Learner' to membership#…, the urn:lti:sysrole/instrole to system/institution person#….
  rolesFor(role, user) {
    const roles: string[] = [role === 'instructor' || role === 'teachingAssistant' || user.isAdministrator ? Role.instructor : Role.learner];
    if (user.isAdministrator) roles.push(Role.systemAdministrator, Role.institutionAdministrator);
    return roles;
  },
  // NRPS asks the same function without an activity: mod/lti/service/memberships/classes/local/service/
  // memberships.php users_to_json() calls lti_get_ims_role($user->id, null, $course->id, true), whose
  // empty-$cmid branch is Instructor only with moodle/course:manageactivities in the course context.
  // A non-editing teacher (archetype teacher) lacks that capability (lib/db/access.php gives it to
  // editingteacher and manager), so NRPS lists them as Learner although their launches say Instructor.
  memberRolesFor(role, user) {
    const roles: string[] = [role === 'instructor' || user.isAdministrator ? Role.instructor : Role.learner];
    if (user.isAdministrator) roles.push(Role.systemAdministrator, Role.institutionAdministrator);
    return roles;
  },
  // mod/lti/service/gradebookservices/classes/local/resources/lineitems.php and lineitem.php templates:
  // /{context_id}/lineitems and /{context_id}/lineitems/{item_id}/lineitem, with ?type_id= for LTI 1.3.
  lineItemsUrl: (base, courseId, typeId) => `${base}/mod/lti/services.php/${courseId}/lineitems?type_id=${typeId}`,
  lineItemUrl: (base, courseId, itemId, typeId) => `${base}/mod/lti/services.php/${courseId}/lineitems/${itemId}/lineitem?type_id=${typeId}`,
  // mod/lti/service/memberships/classes/local/resources/contextmemberships.php template:
  // /{context_type}/{context_id}/bindings/{tool_code}/memberships.
  membershipsUrl: (base, courseId, typeId) => `${base}/mod/lti/services.php/CourseSection/${courseId}/bindings/${typeId}/memberships`,
  // mod/lti/auth.php builds the deep-linking return URL as /mod/lti/contentitem_return.php?course=&id=<typeid>.
  deepLinkingReturnUrl: (base, courseId, typeId) => `${base}/mod/lti/contentitem_return.php?course=${courseId}&id=${typeId}`,
  requiresUserAgent: false,
  readsCanvasSubmission: false,
  // mod/lti/contentitem_return.php hands lti_tool_configuration_from_content_item()'s result to the
  // mod_lti/contentitem_return JS, which fills the form in course/modedit.php (amd/src/contentitem.js
  // processContentItemReturnData); lti_add_instance() runs only when that form is saved.
  deepLinkingFillsActivityForm: true,
};

export const canvasProfile: PlatformProfile = {
  mode: 'canvas',
  productFamilyCode: 'canvas',
  version: 'cloud',
  defaultName: 'Emulated Canvas',
  // https://developerdocs.instructure.com/services/canvas/external-tools/lti/file.lti_launch_overview
  // (authorize_redirect, security/jwks, login/oauth2/token) and the Line Items / Score / Result /
  // Names and Role API pages (/api/lti/courses/:course_id/...).
  paths: {
    jwks: '/api/lti/security/jwks',
    authorize: '/api/lti/authorize_redirect',
    token: '/login/oauth2/token',
    openidConfiguration: '/api/lti/security/openid-configuration',
    registration: '/api/lti/registrations',
    launch: '/external_tools/retrieve',
    deepLinkingLaunch: '/external_tools/deep_linking',
    deepLinkingReturn: '/courses/:courseId/deep_linking_response',
    lineItems: '/api/lti/courses/:courseId/line_items',
    lineItem: '/api/lti/courses/:courseId/line_items/:itemId',
    memberships: '/api/lti/courses/:courseId/names_and_roles',
  },
  // Canvas cloud signs every launch with iss https://canvas.instructure.com whatever the school's
  // domain (lti_launch_overview: "iss ... https://canvas.instructure.com"); endpoints stay on the host.
  issuerFor: () => 'https://canvas.instructure.com',
  // https://developerdocs.instructure.com/services/canvas/external-tools/file.canvas_roles (LTI 1.3
  // table): StudentEnrollment → membership#Learner, TeacherEnrollment → membership#Instructor,
  // TaEnrollment → membership#Instructor + membership/Instructor#TeachingAssistant; plus the
  // institution role (student/teacher/admin) and system person#User for every user.
  rolesFor(role, user) {
    const roles: string[] = [];
    if (role === 'learner') roles.push(Role.institutionStudent, Role.learner);
    if (role === 'instructor') roles.push(Role.institutionInstructor, Role.instructor);
    if (role === 'teachingAssistant') roles.push(Role.institutionInstructor, Role.instructor, Role.teachingAssistant);
    if (user.isAdministrator) roles.push(Role.institutionAdministrator);
    roles.push(Role.systemUser);
    return roles;
  },
  lineItemsUrl: (base, courseId) => `${base}/api/lti/courses/${courseId}/line_items`,
  lineItemUrl: (base, courseId, itemId) => `${base}/api/lti/courses/${courseId}/line_items/${itemId}`,
  membershipsUrl: (base, courseId) => `${base}/api/lti/courses/${courseId}/names_and_roles`,
  deepLinkingReturnUrl: (base, courseId) => `${base}/courses/${courseId}/deep_linking_response`,
  // Instructure announced that API requests without a User-Agent header are rejected (Canvas release
  // notes 2024; ucfopen/canvasapi discussion #711 "Canvas API requiring a new User-Agent field").
  requiresUserAgent: true,
  // https://developerdocs.instructure.com/services/canvas/external-tools/lti/file.assignment_tools
  // ("Submission extension": new_submission, submission_type, submission_data, submitted_at, content_items).
  readsCanvasSubmission: true,
  deepLinkingFillsActivityForm: false,
};

export function profileFor(mode: PlatformMode): PlatformProfile {
  return mode === 'moodle' ? moodleProfile : canvasProfile;
}
