// Every claim, scope, media type and role URI the emulator sends or checks, each with its source.

/** LTI 1.3 core §5.3–5.4 (https://www.imsglobal.org/spec/lti/v1p3/#required-message-claims). */
export const Claim = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  /** LTI Submission Review 1.0 §3.2 (https://www.imsglobal.org/spec/lti-sr/v1p0); Moodle LtiConstants::FOR_USER. */
  forUser: 'https://purl.imsglobal.org/spec/lti/claim/for_user',
  /** AGS §3.1 (https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim). */
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  /** NRPS §3.6.1.1 (https://www.imsglobal.org/spec/lti-nrps/v2p0#lti-1-3-integration). */
  nrpsService: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  /** Deep Linking 2.0 §4.4 (https://www.imsglobal.org/spec/lti-dl/v2p0#deep-linking-settings). */
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  /** Deep Linking 2.0 §4.2 (response message claims). */
  deepLinkingContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  deepLinkingMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  deepLinkingLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  deepLinkingErrorMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
} as const;

/** LTI DR 1.0 §3.4 / §3.5 (https://www.imsglobal.org/spec/lti-dr/v1p0). */
export const PlatformConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
export const ToolConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/** AGS §3.3.1–3.3.3 and NRPS §3.6.1.2 scopes. */
export const Scope = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;
export const allServiceScopes: readonly string[] = Object.values(Scope);

/** AGS §3.2.1, §3.4.1, §3.5.1 and NRPS §2.2 media types. */
export const MediaType = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
} as const;

/** LTI 1.3 core Appendix A.2 (https://www.imsglobal.org/spec/lti/v1p3/#role-vocabularies). */
export const Role = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  teachingAssistant: 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  institutionStudent: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
  institutionInstructor: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor',
  institutionAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  systemAdministrator: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
  systemUser: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#User',
} as const;

/** LTI 1.3 core §5.4.1 context type vocabulary. */
export const CourseOfferingType = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering';

/** 1EdTech Security Framework §4.1.1 (https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant). */
export const JwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Canvas score extension (https://developerdocs.instructure.com/services/canvas/external-tools/lti/file.assignment_tools). */
export const CanvasSubmissionExtension = 'https://canvas.instructure.com/lti/submission';
