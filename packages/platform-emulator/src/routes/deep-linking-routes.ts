// The Deep Linking 2.0 return endpoint (https://www.imsglobal.org/spec/lti-dl/v2p0 §4.2): the browser
// POSTs `JWT`, the tool's signed LtiDeepLinkingResponse; each ltiResourceLink becomes an activity:
// at once in Canvas, in Moodle only once the teacher saves the activity form it fills.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { EmulatorContext } from '../emulator-context.ts';
import type { ToolKeySets } from '../tool-keys.ts';
import type { LineItemSpec, ResourceLink, ResourceLinkInput, SubmissionReview } from '../types.ts';
import { Claim } from '../lti-vocabulary.ts';
import { escapeHtml, page } from '../html.ts';

/**
 * Moodle keeps a line item's submissionReview as its url ("DEFAULT" when absent) and its custom
 * parameters (mod/lti/locallib.php `lti_convert_content_items` copies it, `content_item_to_form`
 * stores `lineitemsubreviewurl`/`lineitemsubreviewparams`); any object, even `{}`, turns it on.
 */
function submissionReviewOf(value: unknown): { submissionReview?: SubmissionReview } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const review = value as Record<string, unknown>;
  const custom = review['custom'] && typeof review['custom'] === 'object' ? Object.fromEntries(Object.entries(review['custom'] as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : null;
  return {
    submissionReview: {
      ...(typeof review['url'] === 'string' && review['url'] !== '' ? { url: review['url'] } : {}),
      ...(custom && Object.keys(custom).length > 0 ? { custom } : {}),
    },
  };
}

function refuse(status: number, message: string): { status: number; html: string } {
  return { status, html: page('Deep linking failed', `<h1>Could not add the content</h1><p id="error">${escapeHtml(message)}</p>`) };
}

/** Where Moodle's activity form posts (course/modedit.php). */
export const MOODLE_ACTIVITY_FORM_PATH = '/course/modedit.php';

/** The activities a response's content items describe; both LMSs take only ltiResourceLink (what accept_types offered). */
function activitiesOf(claims: JWTPayload, courseId: string, clientId: string): ResourceLinkInput[] {
  const items = Array.isArray(claims[Claim.deepLinkingContentItems]) ? (claims[Claim.deepLinkingContentItems] as Record<string, unknown>[]) : [];
  return items
    .filter((item) => item['type'] === 'ltiResourceLink')
    .map((item) => {
      const lineItem = item['lineItem'] as Record<string, unknown> | undefined;
      let spec: LineItemSpec | undefined;
      if (lineItem && typeof lineItem === 'object') {
        // DL §3.4.1 lineItem: scoreMaximum (required), label, resourceId, tag. Moodle's grade item takes
        // the link title when label is absent (contentitem_return → lti_convert_content_items).
        spec = {
          scoreMaximum: Number(lineItem['scoreMaximum']),
          label: typeof lineItem['label'] === 'string' ? lineItem['label'] : String(item['title'] ?? 'Activity'),
          ...(typeof lineItem['resourceId'] === 'string' ? { resourceId: lineItem['resourceId'] } : {}),
          ...(typeof lineItem['tag'] === 'string' ? { tag: lineItem['tag'] } : {}),
          ...submissionReviewOf(lineItem['submissionReview']),
        };
      }
      const custom = item['custom'] && typeof item['custom'] === 'object' ? Object.fromEntries(Object.entries(item['custom'] as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};
      return {
        courseId,
        clientId,
        title: typeof item['title'] === 'string' ? item['title'] : 'Untitled activity',
        ...(typeof item['url'] === 'string' ? { url: item['url'] } : {}),
        ...(typeof item['text'] === 'string' ? { text: item['text'] } : {}),
        custom,
        ...(spec ? { lineItem: spec } : {}),
      };
    });
}

/**
 * Moodle's "Add an external tool" form after the return: the activity names and grades the items
 * filled in (mod/lti/locallib.php content_item_to_form; for several items amd/src/contentitem.js
 * showMultipleSummaryAndHideForm lists them, template mod_lti/tool_deeplinking_results), with
 * "Save and return to course" and "Cancel". The emulator shows that summary for one item too.
 */
function activityFormPage(formId: string, activities: readonly ResourceLinkInput[], messages: string): string {
  const list = activities
    .map((activity) => `<li><strong>${escapeHtml(activity.title)}</strong>${activity.lineItem ? ` <em>Graded, maximum grade ${escapeHtml(activity.lineItem.scoreMaximum)}</em>` : ''}</li>`)
    .join('');
  return page(
    'Adding a new External tool',
    `<h1>Adding a new External tool</h1>${messages}
<form id="activity-form" method="post" action="${MOODLE_ACTIVITY_FORM_PATH}" target="_top" data-activities="${activities.length}">
<input type="hidden" name="form" value="${escapeHtml(formId)}">
<p>The following activities will be added:</p><ul id="activity-form-items">${list}</ul>
<button type="submit" name="submitbutton2" value="Save and return to course">Save and return to course</button>
<button type="submit" name="cancel" value="Cancel">Cancel</button>
</form>`,
  );
}

function placedPage(placed: readonly ResourceLink[], messages: string, backToCourse: string): string {
  const list = placed.map((link) => `<li data-resource-link-id="${escapeHtml(link.id)}">${escapeHtml(link.title)}</li>`).join('');
  return page(
    'Content added',
    `<h1 id="deep-linking-result" data-placed="${placed.length}">Added ${placed.length} ${placed.length === 1 ? 'activity' : 'activities'}</h1>${messages}<ul>${list}</ul>
<p><a id="back-to-course" href="${escapeHtml(backToCourse)}" target="_top">Back to the course</a></p>`,
  );
}

export function createDeepLinkingRoutes(ctx: EmulatorContext, toolKeys: ToolKeySets): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.post(profile.paths.deepLinkingReturn, async (req, res) => {
    res.locals['area'] = 'deep-linking';
    const answer = (result: { status: number; html: string }) => res.status(result.status).type('html').send(result.html);
    const courseId = String(req.params['courseId'] ?? req.query['course'] ?? '');
    const jwt = (req.body as Record<string, unknown> | undefined)?.['JWT'];
    if (typeof jwt !== 'string') return answer(refuse(400, 'The JWT parameter is missing'));

    let clientId: string;
    try {
      clientId = String(decodeJwt(jwt).iss ?? '');
    } catch {
      return answer(refuse(400, 'JWT is not a JWT'));
    }
    const tool = state.tools.get(clientId);
    if (!tool) return answer(refuse(400, 'Unknown tool (iss is not a client id)'));

    let claims: JWTPayload;
    try {
      // DL §4.2 / Security Framework §5.2: signed by the tool (its JWKS), iss = client id, aud = the
      // platform's issuer, unexpired. Moodle lti_convert_from_jwt(); Canvas DeepLinkingController.
      ({ payload: claims } = await jwtVerify(jwt, toolKeys.for(tool.jwksUrl), {
        issuer: tool.clientId,
        audience: ctx.issuer(),
        algorithms: ['RS256', 'RS384', 'RS512'],
        requiredClaims: ['exp', 'iat', 'nonce'],
        currentDate: new Date(ctx.now() * 1000),
      }));
    } catch (error) {
      return answer(refuse(400, `The deep-linking response was refused: ${(error as Error).message}`));
    }
    if (claims[Claim.messageType] !== 'LtiDeepLinkingResponse') return answer(refuse(400, 'message_type must be LtiDeepLinkingResponse'));
    if (claims[Claim.version] !== '1.3.0') return answer(refuse(400, 'version must be 1.3.0'));
    if (claims[Claim.deploymentId] !== tool.deploymentId) return answer(refuse(400, 'deployment_id does not match the tool'));
    // DL §4.4.1: `data` from the request's settings must come back unchanged; it is also what ties
    // this response to the instructor's request in this course.
    const data = claims[Claim.deepLinkingData];
    const session = typeof data === 'string' ? state.deepLinkingSessions.get(data) : undefined;
    if (!session || session.clientId !== tool.clientId || session.courseId !== courseId) {
      return answer(refuse(400, 'data does not match a deep-linking request of this tool in this course'));
    }
    state.deepLinkingSessions.delete(String(data));

    const activities = activitiesOf(claims, courseId, tool.clientId);
    const msg = typeof claims[Claim.deepLinkingMsg] === 'string' ? `<p id="msg">${escapeHtml(claims[Claim.deepLinkingMsg])}</p>` : '';
    const errormsg = typeof claims[Claim.deepLinkingErrorMsg] === 'string' ? `<p id="errormsg">${escapeHtml(claims[Claim.deepLinkingErrorMsg])}</p>` : '';
    const backToCourse = `/course/${encodeURIComponent(courseId)}?user=${encodeURIComponent(session.userId)}`;

    if (profile.deepLinkingFillsActivityForm) {
      // Moodle: the items fill the activity form; nothing exists until the teacher saves it.
      const formId = randomUUID();
      state.activityForms.set(formId, { courseId, clientId: tool.clientId, userId: session.userId, activities });
      return answer({ status: 200, html: activityFormPage(formId, activities, `${msg}${errormsg}`) });
    }
    const placed = activities.map((activity) => state.placeResourceLink(activity, 'deepLinking'));
    return answer({ status: 200, html: placedPage(placed, `${msg}${errormsg}`, backToCourse) });
  });

  // Moodle's course/modedit.php: "Save and return to course" adds the form's activities (one
  // lti_add_instance() each, with its grade item / line item), "Cancel" adds nothing; both go back to
  // the course. A form is answered once.
  if (profile.deepLinkingFillsActivityForm) {
    router.post(MOODLE_ACTIVITY_FORM_PATH, (req, res) => {
      res.locals['area'] = 'deep-linking';
      const body = (req.body ?? {}) as Record<string, unknown>;
      const formId = typeof body['form'] === 'string' ? body['form'] : '';
      const form = state.activityForms.get(formId);
      if (!form) return res.status(400).type('html').send(refuse(400, 'No such activity form (unknown, or already saved or cancelled)').html);
      const save = body['submitbutton2'] !== undefined;
      if (!save && body['cancel'] === undefined) return res.status(400).type('html').send(refuse(400, 'Press Save and return to course, or Cancel').html);
      state.activityForms.delete(formId);
      if (save) for (const activity of form.activities) state.placeResourceLink(activity, 'deepLinking');
      return res.redirect(303, `/course/${encodeURIComponent(form.courseId)}?user=${encodeURIComponent(form.userId)}`);
    });
  }

  return router;
}
