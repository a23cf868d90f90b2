// Every id_token claim and scope URI Attest reads or writes, named once, with the spec section it
// comes from. Nothing else in the tool spells out a purl.imsglobal.org URI.

/** LTI 1.3 core §5.3.1 message type claim. https://www.imsglobal.org/spec/lti/v1p3/#message-type-claim */
export const CLAIM_MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type';
/** LTI 1.3 core §5.3.2 LTI version claim (must be "1.3.0"). https://www.imsglobal.org/spec/lti/v1p3/#lti-version-claim */
export const CLAIM_VERSION = 'https://purl.imsglobal.org/spec/lti/claim/version';
/** LTI 1.3 core §5.3.3 deployment id claim. https://www.imsglobal.org/spec/lti/v1p3/#lti-deployment-id-claim */
export const CLAIM_DEPLOYMENT_ID = 'https://purl.imsglobal.org/spec/lti/claim/deployment_id';
/** LTI 1.3 core §5.3.4 target link URI claim. https://www.imsglobal.org/spec/lti/v1p3/#target-link-uri */
export const CLAIM_TARGET_LINK_URI = 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri';
/** LTI 1.3 core §5.3.5 resource link claim. https://www.imsglobal.org/spec/lti/v1p3/#resource-link-claim */
export const CLAIM_RESOURCE_LINK = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
/** LTI 1.3 core §5.3.7 roles claim. https://www.imsglobal.org/spec/lti/v1p3/#roles-claim */
export const CLAIM_ROLES = 'https://purl.imsglobal.org/spec/lti/claim/roles';
/** LTI 1.3 core §5.4.1 context claim. https://www.imsglobal.org/spec/lti/v1p3/#context-claim */
export const CLAIM_CONTEXT = 'https://purl.imsglobal.org/spec/lti/claim/context';
/** LTI 1.3 core §5.4.2 platform instance claim. https://www.imsglobal.org/spec/lti/v1p3/#platform-instance-claim */
export const CLAIM_TOOL_PLATFORM = 'https://purl.imsglobal.org/spec/lti/claim/tool_platform';
/** LTI 1.3 core §5.4.4 launch presentation claim. https://www.imsglobal.org/spec/lti/v1p3/#launch-presentation-claim */
export const CLAIM_LAUNCH_PRESENTATION = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';
/** LTI 1.3 core §5.4.5 learning information services claim. https://www.imsglobal.org/spec/lti/v1p3/#learning-information-services-lis-claim */
export const CLAIM_LIS = 'https://purl.imsglobal.org/spec/lti/claim/lis';
/** LTI 1.3 core §5.4.6 custom properties claim. https://www.imsglobal.org/spec/lti/v1p3/#custom-properties-and-variable-substitution */
export const CLAIM_CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
/**
 * LTI Submission Review 1.0 §3.2 for-user claim: the learner whose submission a reviewer opens
 * (`user_id`, required). https://www.imsglobal.org/spec/lti-sr/v1p0#for-user-claim
 */
export const CLAIM_FOR_USER = 'https://purl.imsglobal.org/spec/lti/claim/for_user';

/** AGS 2.0 §3.1 endpoint claim (line item, line items, scopes). https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim */
export const CLAIM_AGS_ENDPOINT = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
/** NRPS 2.0 §3.6.1 names and role service claim. https://www.imsglobal.org/spec/lti-nrps/v2p0#lti-1-3-integration */
export const CLAIM_NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
/** Deep Linking 2.0 §4.4.1 deep linking settings claim. https://www.imsglobal.org/spec/lti-dl/v2p0#deep-linking-settings */
export const CLAIM_DL_SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
/** Deep Linking 2.0 §4.5.3 content items of the response. https://www.imsglobal.org/spec/lti-dl/v2p0#content-items */
export const CLAIM_DL_CONTENT_ITEMS = 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items';

/** LTI 1.3 core §5.3.1: the message types Attest accepts. */
export const MESSAGE_RESOURCE_LINK = 'LtiResourceLinkRequest';
export const MESSAGE_DEEP_LINKING = 'LtiDeepLinkingRequest';
/**
 * LTI Submission Review 1.0 §3.1: a reviewer (Moodle's Grade analysis) opens one learner's work on a
 * line item that declared `submissionReview`. https://www.imsglobal.org/spec/lti-sr/v1p0#submission-review-request
 */
export const MESSAGE_SUBMISSION_REVIEW = 'LtiSubmissionReviewRequest';
/** LTI 1.3 core §5.3.2: the only version value a 1.3 launch may carry. */
export const LTI_VERSION = '1.3.0';

/** AGS 2.0 §3.1 scopes. https://www.imsglobal.org/spec/lti-ags/v2p0/#assignment-and-grade-service-claim */
export const SCOPE_AGS_LINEITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
export const SCOPE_AGS_LINEITEM_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly';
export const SCOPE_AGS_RESULT_READONLY = 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly';
export const SCOPE_AGS_SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
/** NRPS 2.0 §3.6.1.1 scope. https://www.imsglobal.org/spec/lti-nrps/v2p0#lti-1-3-integration */
export const SCOPE_NRPS_MEMBERSHIP_READONLY = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

/** AGS 2.0 §3.4 score media type. https://www.imsglobal.org/spec/lti-ags/v2p0/#score-publish-service */
export const MEDIA_TYPE_SCORE = 'application/vnd.ims.lis.v1.score+json';
/** NRPS 2.0 §2.3 membership container media type. https://www.imsglobal.org/spec/lti-nrps/v2p0#membership-container-media-type */
export const MEDIA_TYPE_MEMBERSHIP_CONTAINER = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/** LTI 1.3 core Appendix A.2.3 context role vocabulary. https://www.imsglobal.org/spec/lti/v1p3/#context-roles */
export const ROLE_CONTEXT_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
export const ROLE_CONTEXT_LEARNER = `${ROLE_CONTEXT_PREFIX}#Learner`;
export const ROLE_CONTEXT_INSTRUCTOR = `${ROLE_CONTEXT_PREFIX}#Instructor`;
export const ROLE_CONTEXT_ADMINISTRATOR = `${ROLE_CONTEXT_PREFIX}#Administrator`;
/** LTI 1.3 core Appendix A.2.3.1 context sub-roles (Canvas sends this for TAs beside plain Instructor). */
export const ROLE_CONTEXT_TEACHING_ASSISTANT = `${ROLE_CONTEXT_PREFIX}/Instructor#TeachingAssistant`;
/** LTI 1.3 core Appendix A.2.2 institution roles. https://www.imsglobal.org/spec/lti/v1p3/#lis-vocabulary-for-institution-roles */
export const ROLE_INSTITUTION_ADMINISTRATOR = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator';
/** LTI 1.3 core Appendix A.2.1 system roles. https://www.imsglobal.org/spec/lti/v1p3/#lis-vocabulary-for-system-roles */
export const ROLE_SYSTEM_ADMINISTRATOR = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator';
export const ROLE_SYSTEM_SYSADMIN = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin';

/** Dynamic Registration 1.0 §3.4 / §3.6: tool and platform configuration objects. https://www.imsglobal.org/spec/lti-dr/v1p0#lti-configuration-0 */
export const DR_TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const DR_PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

/** The custom parameter deep linking places on every Attest activity: the unit it assesses. */
export const CUSTOM_ATTEST_UNIT = 'attest_unit';
/** The line item tag that marks a gradebook column as Attest's. */
export const LINE_ITEM_TAG = 'attest-unit';
