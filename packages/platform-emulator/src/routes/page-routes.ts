// The pages a person sees in the LMS: a course page that frames a launch, and the gradebook.
import { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { coursePageUrlFor, deepLinkingLaunchUrlFor, launchUrlFor } from '../launch-urls.ts';
import { escapeHtml, page } from '../html.ts';
import { FORWARDING_FRAME_PATH, forwardingFrameHtml, forwardingFrameScript, platformStorageScript } from '../canvas/platform-storage.ts';

// The iframe `allow` list: Canvas frames tools with
// allow="geolocation *; microphone *; camera *; midi *; encrypted-media *; autoplay *; clipboard-write *; display-capture *"
// (ui/shared/lti ToolLaunchIframe); Moodle's mod/lti/view.php embeds with allowfullscreen and
// allow="microphone *; camera *; geolocation *; autoplay *; clipboard-write *" (MDL-60427 and later).
const allowByMode = {
  canvas: 'geolocation *; microphone *; camera *; midi *; encrypted-media *; autoplay *; clipboard-write *; display-capture *',
  moodle: 'microphone *; camera *; geolocation *; autoplay *; clipboard-write *',
} as const;

// lti.frameResize: Canvas sets the frame height from {subject: 'lti.frameResize', height} (number or
// string, JSON string or object; https://developerdocs.instructure.com/services/canvas/external-tools/file.lti_window_post_message,
// canvas-lms ui/shared/lti/jquery/messages). Moodle core gets the same from the widely used
// frame-resize plugins; the emulator honours it in both modes (see README "Deviations").
// Like Canvas, only messages whose source is the tool's frame count.
const frameResizeScript = `window.addEventListener('message', function (event) {
  var frame = document.getElementById('lti-frame');
  if (!frame || event.source !== frame.contentWindow) return;
  var data = event.data;
  if (typeof data === 'string') { try { data = JSON.parse(data); } catch (e) { return; } }
  if (!data || data.subject !== 'lti.frameResize') return;
  var height = parseInt(String(data.height), 10);
  if (!isFinite(height) || height <= 0) return;
  frame.style.height = height + 'px';
  frame.setAttribute('data-resized', String(height));
});`;

export function createPageRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.get('/course/:courseId', (req, res) => {
    res.locals['area'] = 'page';
    const course = state.getCourse(req.params.courseId);
    const user = state.getUser(String(req.query['user'] ?? ''));
    const role = state.roleIn(course.id, user.id);
    const rl = typeof req.query['rl'] === 'string' ? req.query['rl'] : null;
    const dl = typeof req.query['dl'] === 'string' ? req.query['dl'] : null;
    const frameSrc = rl
      ? launchUrlFor(ctx, { courseId: course.id, userId: user.id, resourceLinkId: rl })
      : dl
        ? deepLinkingLaunchUrlFor(ctx, { courseId: course.id, userId: user.id, clientId: dl })
        : null;
    const links = [...state.resourceLinks.values()].filter((link) => link.courseId === course.id);
    const activityList = links
      .map((link) => `<li><a data-resource-link-id="${escapeHtml(link.id)}" href="${escapeHtml(coursePageUrlFor(ctx, { courseId: course.id, userId: user.id, resourceLinkId: link.id }))}">${escapeHtml(link.title)}</a></li>`)
      .join('');
    const addContent = role === 'instructor' || user.isAdministrator
      ? [...state.tools.values()]
          .filter((tool) => tool.active)
          .map((tool) => `<li><a data-client-id="${escapeHtml(tool.clientId)}" href="${escapeHtml(coursePageUrlFor(ctx, { courseId: course.id, userId: user.id, deepLinkingClientId: tool.clientId }))}">Add content from ${escapeHtml(tool.name)}</a></li>`)
          .join('')
      : '';
    const frame = frameSrc
      ? `<iframe id="lti-frame" title="${escapeHtml(rl ? state.getResourceLink(rl).title : 'Add content')}" src="${escapeHtml(frameSrc)}" allow="${allowByMode[profile.mode]}" allowfullscreen style="width:100%;height:600px;border:0"></iframe>`
      : '<p>Choose an activity.</p>';
    res.type('html').send(
      page(
        `${course.title} — ${ctx.platformName}`,
        `<header><strong>${escapeHtml(ctx.platformName)}</strong> · <span id="course-title">${escapeHtml(course.title)}</span> · signed in as <span id="user-name">${escapeHtml(user.name)}</span> (${escapeHtml(role ?? (user.isAdministrator ? 'administrator' : 'not enrolled'))})</header>
<nav><ul id="activities">${activityList}</ul>${addContent ? `<ul id="add-content">${addContent}</ul>` : ''}</nav>
${profile.mode === 'canvas' ? forwardingFrameHtml() : ''}<main>${frame}</main>`,
        // Canvas answers platform storage from every page (canvas/platform-storage.ts); Moodle has none.
        profile.mode === 'canvas' ? `${frameResizeScript}\n${platformStorageScript}` : frameResizeScript,
      ),
    );
  });

  if (profile.mode === 'canvas') {
    // Canvas's Lti::PlatformStorageController#post_message_forwarding page (canvas/platform-storage.ts).
    router.get(FORWARDING_FRAME_PATH, (_req, res) => {
      res.locals['area'] = 'page';
      res.type('html').send(page('Canvas LTI PostMessageForwarding', '', forwardingFrameScript));
    });
  }

  router.get('/course/:courseId/gradebook', (req, res) => {
    res.locals['area'] = 'page';
    const course = state.getCourse(req.params.courseId);
    const rows = state
      .gradebookOf(course.id)
      .map((entry) => {
        const submission = entry.canvasSubmission
          ? `${escapeHtml(entry.canvasSubmission.submissionType ?? '')} ${escapeHtml(entry.canvasSubmission.submissionData ?? '')} ${escapeHtml(entry.canvasSubmission.submittedAt ?? '')}${entry.canvasSubmission.newSubmission ? ' (new)' : ''}`
          : '';
        return `<tr data-user-id="${escapeHtml(entry.userId)}" data-line-item="${escapeHtml(entry.lineItemId)}"><td>${escapeHtml(entry.userName)}</td><td>${escapeHtml(entry.activity)}</td><td class="grade">${entry.grade === null ? '–' : escapeHtml(Number(entry.grade.toFixed(2)))}</td><td>${escapeHtml(entry.activityProgress)}</td><td>${escapeHtml(entry.gradingProgress)}</td><td>${escapeHtml(entry.comment ?? '')}</td><td>${submission}</td></tr>`;
      })
      .join('');
    res.type('html').send(
      page(
        `Gradebook — ${course.title}`,
        `<h1>Gradebook: ${escapeHtml(course.title)}</h1>
<table id="gradebook"><thead><tr><th>Learner</th><th>Activity</th><th>Grade</th><th>activityProgress</th><th>gradingProgress</th><th>Comment</th><th>Submission</th></tr></thead><tbody>${rows}</tbody></table>`,
      ),
    );
  });

  return router;
}
