// Canvas's SpeedGrader opening a learner's `basic_lti_launch` submission. A score carrying the
// `https://canvas.instructure.com/lti/submission` extension with submission_type `basic_lti_launch`
// records `submission_data` as the submission's URL (Canvas "Score" API page; canvas-lms
// Submission#external_tool_url returns that url for basic_lti_launch). SpeedGrader then frames
// `/courses/:course/external_tools/retrieve?display=borderless&assignment_id=…&url=<that url>`
// (canvas-lms ui/features/speed_grader `renderLtiLaunch`, spec "contains iframe with the escaped
// student submission url"), which launches the assignment's tool for the grader with that URL as
// the launch's target_link_uri. The emulator's retrieve path takes the link and user directly.
import type { EmulatorContext } from './emulator-context.ts';
import { EmulatorError } from './emulator-state.ts';
import type { ResourceLink, SubmissionLaunchTarget } from './types.ts';

const BASIC_LTI_LAUNCH = 'basic_lti_launch';

/** The retrieve URL SpeedGrader frames for this learner's recorded submission, launched as the grader. */
export function submissionLaunchUrlFor(ctx: EmulatorContext, target: SubmissionLaunchTarget): string {
  const { state, profile } = ctx;
  if (profile.mode !== 'canvas') throw new EmulatorError(400, 'not_canvas', 'Only Canvas has SpeedGrader submission launches');
  state.getCourse(target.courseId);
  state.getUser(target.learnerId);
  state.getUser(target.graderId);
  const item = state.lineItems.get(target.lineItemId);
  if (!item || item.courseId !== target.courseId) throw new EmulatorError(404, 'unknown_line_item', `No line item ${target.lineItemId} in course ${target.courseId}`);
  // SpeedGrader is for those who grade: Canvas shows it to teachers and TAs, never to students.
  const role = state.roleIn(target.courseId, target.graderId);
  if (role !== 'instructor' && role !== 'teachingAssistant') throw new EmulatorError(403, 'not_grader', `User ${target.graderId} does not grade course ${target.courseId}`);
  // The URL Canvas stored on the Submission, which only a score that made a new submission sets
  // (scores_controller.rb `submit_homework if new_submission?`; src/canvas/submission-rules.ts), not
  // whatever the tool's last score carried.
  const submission = state.canvasSubmissions.get(`${item.id} ${target.learnerId}`) ?? null;
  if (submission?.submissionType !== BASIC_LTI_LAUNCH || !submission.url) {
    throw new EmulatorError(404, 'no_lti_submission', `No basic_lti_launch submission by ${target.learnerId} on ${item.id}`);
  }
  if (!item.resourceLinkId) throw new EmulatorError(409, 'no_resource_link', `Line item ${item.id} has no resource link to launch`);
  const url = new URL(profile.paths.launch, ctx.baseUrl());
  url.searchParams.set('display', 'borderless');
  url.searchParams.set('id', item.resourceLinkId);
  url.searchParams.set('user', target.graderId);
  url.searchParams.set('url', submission.url);
  return url.href;
}

/**
 * The target link URI of a retrieve launch: the link's own URL, or a `url` parameter. Canvas launches
 * a `url` with the tool whose domain it matches; the emulator accepts only the link's tool's origin,
 * and only in Canvas mode (Moodle's launch.php takes no URL).
 */
export function submissionTargetLinkUri(ctx: EmulatorContext, link: ResourceLink, url: string): string {
  if (url === '') return link.url;
  if (ctx.profile.mode !== 'canvas') throw new EmulatorError(400, 'url_not_supported', 'Moodle launches only the activity’s own URL');
  const tool = ctx.state.getTool(link.clientId);
  if (!URL.canParse(url) || new URL(url).origin !== new URL(link.url).origin) {
    throw new EmulatorError(400, 'url_not_for_tool', `${url} is not on the domain of tool ${tool.clientId}`);
  }
  return url;
}
