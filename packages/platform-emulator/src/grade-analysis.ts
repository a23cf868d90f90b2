// Moodle's Grade analysis: the gradebook links each grade of an activity to the module's grade.php
// (grade/lib.php `grade_structure::get_grade_analysis_url`, for every module that has one); mod_lti's
// grade.php redirects to view.php with `action=gradeReport&user=<the graded learner>`, view.php
// frames launch.php with the same parameters, and launch.php starts an LtiSubmissionReviewRequest
// login for that learner (`$msgtype = 'LtiSubmissionReviewRequest'` when `$action === 'gradeReport'`,
// then `lti_initiate_login(..., $foruserid)`). Moodle sends it whenever a grader opens an LTI
// activity's grade, whether or not the tool's line item declared submissionReview.
// Deviation: Moodle names the learner `user` on view.php and launch.php; the emulator's `user` is the
// person acting (README "Deviations"), so the learner is `for_user` here (`userid` on grade.php, as in Moodle).
import { Router } from 'express';
import type { EmulatorContext } from './emulator-context.ts';
import { EmulatorError, type EmulatorState } from './emulator-state.ts';
import { escapeHtml, page } from './html.ts';
import type { GradeAnalysisTarget, ResourceLink } from './types.ts';

export const GRADE_REPORT_ACTION = 'gradeReport';
export const FOR_USER_PARAM = 'for_user';
const gradePhpPath = '/mod/lti/grade.php';
/** Moodle's mod/lti/view.php iframe allow list (as on the course page, routes/page-routes.ts). */
const moodleAllow = 'microphone *; camera *; geolocation *; autoplay *; clipboard-write *';

/**
 * Who may open another person's grade: view.php `require_capability('gradereport/grader:view')`
 * when `user` is not the viewer — editing and non-editing teachers and managers (site
 * administrators here); anyone enrolled (`mod/lti:view`) may open their own.
 */
export function checkGradeAnalysisViewer(state: EmulatorState, courseId: string, viewerId: string, learnerId: string): void {
  const viewer = state.getUser(viewerId);
  const role = state.roleIn(courseId, viewer.id);
  if (role === null && !viewer.isAdministrator) throw new EmulatorError(403, 'not_enrolled', `User ${viewer.id} is not enrolled in course ${courseId}`);
  if (learnerId !== viewer.id && role !== 'instructor' && role !== 'teachingAssistant' && !viewer.isAdministrator) {
    throw new EmulatorError(403, 'not_grader', `User ${viewer.id} may not view other people's grades in course ${courseId}`);
  }
}

/**
 * The URL a review launch is for: the line item's submissionReview url, or the activity's own
 * (Moodle's "DEFAULT"); gradebookservices.php `override_endpoint`, used by `lti_build_login_request`.
 */
export function reviewTargetLinkUri(state: EmulatorState, link: ResourceLink): string {
  const review = link.lineItemId ? state.lineItems.get(link.lineItemId)?.submissionReview ?? null : null;
  return review?.url ?? link.url;
}

function checkTarget(ctx: EmulatorContext, target: GradeAnalysisTarget): ResourceLink {
  if (ctx.profile.mode !== 'moodle') throw new EmulatorError(400, 'not_moodle', 'Only Moodle has Grade analysis launches');
  const link = ctx.state.getResourceLink(target.resourceLinkId);
  if (link.courseId !== target.courseId) throw new EmulatorError(404, 'unknown_resource_link', `No resource link ${link.id} in course ${target.courseId}`);
  // PARAM_INT and nothing more: Moodle does not check that the graded user is in the course.
  if (target.learnerId.trim() === '') throw new EmulatorError(400, 'missing_learner', 'Grade analysis needs the learner (userid)');
  checkGradeAnalysisViewer(ctx.state, link.courseId, target.graderId, target.learnerId);
  return link;
}

/** launch.php?id=<link>&action=gradeReport&for_user=<learner>&user=<grader>: what view.php frames. */
export function gradeAnalysisLaunchUrlFor(ctx: EmulatorContext, target: GradeAnalysisTarget): string {
  const link = checkTarget(ctx, target);
  const url = new URL(ctx.profile.paths.launch, ctx.baseUrl());
  url.searchParams.set('id', link.id);
  url.searchParams.set('triggerview', '0');
  url.searchParams.set('action', GRADE_REPORT_ACTION);
  url.searchParams.set(FOR_USER_PARAM, target.learnerId);
  url.searchParams.set('user', target.graderId);
  return url.href;
}

/** grade.php?id=<link>&userid=<learner>&user=<grader>: the gradebook's Grade analysis link. */
export function gradeAnalysisPageUrlFor(ctx: EmulatorContext, target: GradeAnalysisTarget): string {
  const link = checkTarget(ctx, target);
  const url = new URL(gradePhpPath, ctx.baseUrl());
  url.searchParams.set('id', link.id);
  url.searchParams.set('userid', target.learnerId);
  url.searchParams.set('user', target.graderId);
  return url.href;
}

/** grade.php, answered as the view.php page it redirects to: the activity page framing the review launch. */
export function createGradeAnalysisRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  if (ctx.profile.mode !== 'moodle') return router;
  router.get(gradePhpPath, (req, res) => {
    res.locals['area'] = 'page';
    const link = ctx.state.getResourceLink(String(req.query['id'] ?? ''));
    const target: GradeAnalysisTarget = { courseId: link.courseId, resourceLinkId: link.id, learnerId: String(req.query['userid'] ?? ''), graderId: String(req.query['user'] ?? '') };
    const src = gradeAnalysisLaunchUrlFor(ctx, target);
    res.type('html').send(
      page(
        `${link.title} — ${ctx.platformName}`,
        `<header><strong>${escapeHtml(ctx.platformName)}</strong> · Grade analysis · <span id="activity-title">${escapeHtml(link.title)}</span></header>
<main><iframe id="lti-frame" title="${escapeHtml(link.title)}" src="${escapeHtml(src)}" allow="${moodleAllow}" allowfullscreen style="width:100%;height:600px;border:0"></iframe></main>`,
      ),
    );
  });
  return router;
}
