// Assignment and Grade Services 2.0: line items, scores and results
// (https://www.imsglobal.org/spec/lti-ags/v2p0), with each LMS's own checks cited beside them.
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import type { LineItem } from '../types.ts';
import { EmulatorError } from '../emulator-state.ts';
import { acceptScore } from '../accept-score.ts';
import { emptySubmission, isNewSubmission, scoreSubmission, submitHomework } from '../canvas/submission-rules.ts';
import { canvasResultsPage } from '../canvas/service-rules.ts';
import { MediaType, Scope } from '../lti-vocabulary.ts';
import { requireAccessToken } from './require-access-token.ts';
import { requireUserAgent } from './require-user-agent.ts';

function lineItemJson(item: LineItem): Record<string, unknown> {
  // AGS §3.2: id, scoreMaximum, label, resourceId, tag, resourceLinkId, startDateTime, endDateTime.
  const json: Record<string, unknown> = { id: item.id, scoreMaximum: item.scoreMaximum, label: item.label };
  if (item.resourceId !== null) json['resourceId'] = item.resourceId;
  if (item.tag !== null) json['tag'] = item.tag;
  if (item.resourceLinkId !== null) json['resourceLinkId'] = item.resourceLinkId;
  if (item.startDateTime !== null) json['startDateTime'] = item.startDateTime;
  if (item.endDateTime !== null) json['endDateTime'] = item.endDateTime;
  // Moodle gradebookservices.php `item_for_json`: submissionReview with url (unless DEFAULT) and custom.
  if (item.submissionReview) json['submissionReview'] = { ...item.submissionReview };
  return json;
}

function mediaTypeOf(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function createAgsRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { state, profile } = ctx;
  const ua = requireUserAgent(ctx, 'ags');

  /** The course and, in Moodle, the type_id every LTI 1.3 service URL carries. */
  function checkCourseAndType(req: Request, res: Response, clientId: string): string | null {
    const courseId = String(req.params['courseId']);
    if (!state.courses.has(courseId)) {
      // scores.php / lineitems.php: 404 "Not Found: Course $contextid doesn't exist."
      res.status(404).json({ error: 'not_found', message: `Course ${courseId} doesn't exist` });
      return null;
    }
    if (profile.mode === 'moodle') {
      // Without type_id Moodle treats the call as LTI 2 and refuses it (scores.php: check_tool_proxy → 403);
      // with another tool's type_id check_type() fails (401).
      const typeId = req.query['type_id'];
      if (typeof typeId !== 'string') {
        res.status(403).json({ error: 'forbidden', message: 'type_id is required for LTI 1.3 service calls' });
        return null;
      }
      if (typeId !== state.getTool(clientId).deploymentId) {
        res.status(401).json({ error: 'unauthorized', message: 'type_id does not match the access token' });
        return null;
      }
    }
    return courseId;
  }

  function findItem(req: Request, res: Response, courseId: string, clientId: string): LineItem | null {
    const item = state.findLineItem(courseId, String(req.params['itemId']), clientId);
    if (!item || item.clientId !== clientId) {
      res.status(404).json({ error: 'not_found', message: 'Line item does not exist' });
      return null;
    }
    return item;
  }

  router.get(profile.paths.lineItems, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.lineItem, Scope.lineItemReadOnly]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    // AGS §3.2.2 filters: resource_link_id, resource_id, tag; limit with a rel="next" Link header.
    let items = state.lineItemsOf(courseId).filter((item) => item.clientId === token.clientId);
    const { resource_link_id: rlid, resource_id: resourceId, tag } = req.query;
    if (typeof rlid === 'string') items = items.filter((item) => item.resourceLinkId === rlid);
    if (typeof resourceId === 'string') items = items.filter((item) => item.resourceId === resourceId);
    if (typeof tag === 'string') items = items.filter((item) => item.tag === tag);
    const page = paginate(req, res, items);
    res.type(MediaType.lineItemContainer).send(JSON.stringify(page.map(lineItemJson)));
  });

  router.post(profile.paths.lineItems, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.lineItem]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rlid = typeof body['resourceLinkId'] === 'string' ? body['resourceLinkId'] : null;
    if (rlid !== null) {
      const link = state.resourceLinks.get(rlid);
      if (!link || link.courseId !== courseId || link.clientId !== token.clientId) {
        throw new EmulatorError(400, 'invalid_resource_link', 'resourceLinkId is not a link of this tool in this course');
      }
    }
    const item = state.createLineItem(courseId, state.getTool(token.clientId), {
      scoreMaximum: Number(body['scoreMaximum']),
      label: typeof body['label'] === 'string' ? body['label'] : '',
      ...(typeof body['resourceId'] === 'string' ? { resourceId: body['resourceId'] } : {}),
      ...(typeof body['tag'] === 'string' ? { tag: body['tag'] } : {}),
      startDateTime: typeof body['startDateTime'] === 'string' ? body['startDateTime'] : null,
      endDateTime: typeof body['endDateTime'] === 'string' ? body['endDateTime'] : null,
    }, rlid);
    // AGS §3.2.7: 201 Created with the new line item.
    res.status(201).type(MediaType.lineItem).send(JSON.stringify(lineItemJson(item)));
  });

  router.get(profile.paths.lineItem, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.lineItem, Scope.lineItemReadOnly]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    const item = findItem(req, res, courseId, token.clientId);
    if (!item) return;
    res.type(MediaType.lineItem).send(JSON.stringify(lineItemJson(item)));
  });

  router.put(profile.paths.lineItem, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.lineItem]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    const item = findItem(req, res, courseId, token.clientId);
    if (!item) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const updated: LineItem = {
      ...item,
      ...(typeof body['label'] === 'string' && body['label'].trim() ? { label: body['label'] } : {}),
      ...(typeof body['scoreMaximum'] === 'number' && body['scoreMaximum'] > 0 ? { scoreMaximum: body['scoreMaximum'] } : {}),
      ...(typeof body['resourceId'] === 'string' ? { resourceId: body['resourceId'] } : {}),
      ...(typeof body['tag'] === 'string' ? { tag: body['tag'] } : {}),
    };
    state.lineItems.set(item.id, updated);
    res.type(MediaType.lineItem).send(JSON.stringify(lineItemJson(updated)));
  });

  router.delete(profile.paths.lineItem, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.lineItem]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    const item = findItem(req, res, courseId, token.clientId);
    if (!item) return;
    state.lineItems.delete(item.id);
    res.status(204).end();
  });

  router.post(`${profile.paths.lineItem}/scores`, ua, async (req, res) => {
    const hold = state.scoreHold;
    if (hold) {
      state.scoreHold = null;
      hold.arrived();
      await hold.released;
    }
    const token = requireAccessToken(ctx, req, res, [Scope.score]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    // Moodle scores.php: 400 unless the Content-Type is application/vnd.ims.lis.v1.score+json.
    // Canvas documents the same media type and also takes plain application/json.
    const mediaType = mediaTypeOf(req);
    if (mediaType !== MediaType.score && !(profile.mode === 'canvas' && mediaType === 'application/json')) {
      res.status(400).json({ error: 'invalid_content_type', message: `Content-Type must be ${MediaType.score}` });
      return;
    }
    const item = findItem(req, res, courseId, token.clientId);
    if (!item) return;
    /** Injected by a test: the LMS is down (503) or throttling (429 with Retry-After, RFC 6585 §4). */
    const failInjected = (): boolean => {
      if (state.scoreFailures.remaining <= 0) return false;
      state.scoreFailures.remaining -= 1;
      if (state.scoreFailures.status === 429) res.set('Retry-After', String(state.scoreFailures.retryAfterSeconds));
      res.status(state.scoreFailures.status).json({ error: 'unavailable', message: 'Injected failure' });
      return true;
    };
    if (!state.scoreFailures.afterProcessing && failInjected()) return;
    const body: unknown = req.body;
    const userId = typeof body === 'object' && body !== null ? String((body as Record<string, unknown>)['userId'] ?? '') : '';
    const previous = state.results.get(`${item.id} ${userId}`) ?? null;
    // Moodle: gradebookservices::is_user_gradable_in_course (enrolled and gradable, i.e. a student);
    // Canvas: the user must be a student of the course.
    const isGradable = state.roleIn(courseId, userId) === 'learner';
    // The LMS's own clock, which Moodle writes on a grade it dates itself (setClockAhead).
    const decision = acceptScore(profile.mode, body, previous, isGradable, Date.now() + state.clockAheadMs);
    if (!decision.ok) {
      res.status(decision.status).json({ error: 'score_refused', message: decision.message });
      return;
    }
    // Moodle lib/grade/grade_item.php update_raw_grade(): an overridden grade keeps its finalgrade and
    // feedback (`if (!$grade->is_locked() and !$grade->is_overridden())`); the score is still accepted.
    const kept = profile.mode === 'moodle' && previous?.isOverridden === true;
    state.results.set(`${item.id} ${userId}`, kept ? { ...decision.result, scoreGiven: previous.scoreGiven, scoreMaximum: previous.scoreMaximum, comment: previous.comment, isOverridden: true } : decision.result);
    if (profile.mode === 'canvas') {
      // scores_controller.rb `create`: `submit_homework if new_submission?`, then `update_or_create_result`,
      // whose `score_submission` grades (or keeps, or clears) the submission and adds the comment.
      const key = `${item.id} ${userId}`;
      const now = new Date().toISOString();
      const scoreBody = body as Record<string, unknown>;
      let submission = state.canvasSubmissions.get(key) ?? emptySubmission;
      if (isNewSubmission(scoreBody)) submission = submitHomework(submission, scoreBody, now);
      state.canvasSubmissions.set(key, scoreSubmission(submission, scoreBody, item.scoreMaximum, now));
    }
    // A gateway that times out after the application committed: stored, but the tool hears a failure.
    if (state.scoreFailures.afterProcessing && failInjected()) return;
    if (profile.mode === 'moodle') {
      // Moodle answers 200 with an empty body.
      res.status(200).end();
      return;
    }
    // Canvas answers 200 with {resultUrl} (Score API).
    res.status(200).json({ resultUrl: `${item.id}/results/${encodeURIComponent(userId)}` });
  });

  router.get(`${profile.paths.lineItem}/results`, ua, (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.resultReadOnly]);
    if (!token) return;
    const courseId = checkCourseAndType(req, res, token.clientId);
    if (!courseId) return;
    const item = findItem(req, res, courseId, token.clientId);
    if (!item) return;
    const wanted = typeof req.query['user_id'] === 'string' ? req.query['user_id'] : null;
    // One learner's result is looked up, not found by walking every result the emulator holds: a
    // tool reads one before each Canvas score, and a course resync holds 40,000 (bench:resync).
    const held = wanted === null ? null : state.results.get(`${item.id} ${wanted}`);
    const candidates = wanted === null ? [...state.results.entries()].filter(([key]) => key.startsWith(`${item.id} `)).map(([, result]) => result) : held ? [held] : [];
    const results = candidates
      // Moodle results.php lists a grade only `if (!empty($grade->timemodified))`: none written yet, none listed.
      .filter((result) => profile.mode !== 'moodle' || result.gradeTimeModified !== null)
      .map((result) => {
        // AGS §3.5: resultScore on the line item's scale, resultMaximum the line item's maximum.
        const json: Record<string, unknown> = { id: `${item.id}/results/${result.userId}`, scoreOf: item.id, userId: result.userId, resultMaximum: item.scoreMaximum };
        if (result.scoreGiven !== null && result.scoreMaximum) json['resultScore'] = (result.scoreGiven * item.scoreMaximum) / result.scoreMaximum;
        if (result.comment !== null) json['comment'] = result.comment;
        return json;
      });
    const page = profile.mode === 'canvas' ? canvasResultsPage(req, res, results, ctx.baseUrl()) : paginate(req, res, results);
    res.type(MediaType.resultContainer).send(JSON.stringify(page));
  });

  return router;
}

/** `limit`/`page` paging with a `Link: <…>; rel="next"` header (AGS §3.2.3, NRPS §2.4.2). */
export function paginate<T>(req: Request, res: Response, all: readonly T[]): readonly T[] {
  const limit = Number(req.query['limit']);
  if (!Number.isInteger(limit) || limit <= 0) return all;
  const pageNumber = Math.max(1, Number(req.query['page']) || 1);
  const slice = all.slice((pageNumber - 1) * limit, pageNumber * limit);
  if (pageNumber * limit < all.length) {
    const next = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`);
    next.searchParams.set('page', String(pageNumber + 1));
    res.set('Link', `<${next.href}>; rel="next"`);
  }
  return slice;
}
