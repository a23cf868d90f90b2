// SpeedGrader's page for one learner's submission: Canvas's /courses/:course/gradebook/speed_grader
// ?assignment_id=…&student_id=… frames the submission's retrieve URL on the Canvas site (canvas-lms
// ui/features/speed_grader `renderLtiLaunch`), so the tool is framed by the LMS's own origin, as on a
// course page. The emulator takes the line item URL as assignment_id and the grader as `user`.
import { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { escapeHtml, page } from '../html.ts';
import { submissionLaunchUrlFor } from '../submission-launch-url.ts';
import type { SubmissionLaunchTarget } from '../types.ts';

export const speedGraderPath = '/courses/:courseId/gradebook/speed_grader';

/** Canvas's iframe `allow` list (ui/shared/lti ToolLaunchIframe), as on the emulator's course page. */
const canvasAllow = 'geolocation *; microphone *; camera *; midi *; encrypted-media *; autoplay *; clipboard-write *; display-capture *';

export function speedGraderPageUrlFor(ctx: EmulatorContext, target: SubmissionLaunchTarget): string {
  // Checked now, so a test asking for a page SpeedGrader could not show fails at the call.
  submissionLaunchUrlFor(ctx, target);
  const url = new URL(speedGraderPath.replace(':courseId', encodeURIComponent(target.courseId)), ctx.baseUrl());
  url.searchParams.set('assignment_id', target.lineItemId);
  url.searchParams.set('student_id', target.learnerId);
  url.searchParams.set('user', target.graderId);
  return url.href;
}

export function createSpeedGraderRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.get(speedGraderPath, (req, res) => {
    res.locals['area'] = 'page';
    const target: SubmissionLaunchTarget = {
      courseId: String(req.params['courseId']),
      lineItemId: String(req.query['assignment_id'] ?? ''),
      learnerId: String(req.query['student_id'] ?? ''),
      graderId: String(req.query['user'] ?? ''),
    };
    const src = submissionLaunchUrlFor(ctx, target);
    const learner = ctx.state.getUser(target.learnerId);
    res.type('html').send(
      page(
        `SpeedGrader — ${ctx.platformName}`,
        `<header><strong>${escapeHtml(ctx.platformName)}</strong> · SpeedGrader · <span id="student-name">${escapeHtml(learner.name)}</span></header>
<main><iframe id="lti-frame" title="Submission by ${escapeHtml(learner.name)}" src="${escapeHtml(src)}" allow="${canvasAllow}" allowfullscreen style="width:100%;height:600px;border:0"></iframe></main>`,
      ),
    );
  });
  return router;
}
