import type { Request, Response } from 'express';
import type { ErrorCode } from '../errors/app-error.ts';
import { errorStatus } from '../errors/app-error.ts';
import { escapeHtml, htmlPage, sendHtmlPage } from './html-page.ts';
import type { HtmlPage } from './html-page.ts';

// Every answer the LTI routes give when they will not let a login or launch through. A browser
// sees these inside the LMS's iframe, so a navigation gets a short page a learner can act on; an
// API client keeps the `{ error: { code, message } }` body every other error has. The kind is a
// stable code for support; the wording lives in the table below, apart from the code.

export type LtiRefusalKind =
  | 'launch_not_verified'
  | 'launch_incomplete'
  | 'launch_failed'
  | 'login_incomplete'
  | 'login_not_for_attest'
  | 'session_expired'
  | 'unregistered_platform'
  | 'inactive_platform'
  | 'unknown_platform'
  | 'unknown_deployment'
  | 'deployment_pending'
  | 'review_not_assessor'
  | 'review_without_unit'
  | 'review_learner_not_in_course'
  | 'not_found';

const refusals: Readonly<Record<LtiRefusalKind, { readonly code: ErrorCode; readonly reason: string }>> = {
  launch_not_verified: { code: 'unauthenticated', reason: 'Attest could not verify this launch from your LMS.' },
  launch_incomplete: { code: 'unauthenticated', reason: 'This launch is missing information Attest needs.' },
  launch_failed: { code: 'internal', reason: 'Attest could not complete this launch.' },
  login_incomplete: { code: 'invalid_request', reason: 'The LMS started the sign-in without the details Attest needs.' },
  login_not_for_attest: { code: 'invalid_request', reason: 'This sign-in request is not for Attest.' },
  session_expired: { code: 'unauthenticated', reason: 'Your session has expired.' },
  unregistered_platform: { code: 'invalid_request', reason: 'This LMS is not registered with Attest.' },
  inactive_platform: { code: 'forbidden', reason: 'This LMS registration is waiting for an Attest administrator to activate it.' },
  unknown_platform: { code: 'unauthenticated', reason: 'This launch comes from an LMS Attest does not know.' },
  unknown_deployment: { code: 'unauthenticated', reason: 'This launch comes from a part of your LMS (a deployment) that Attest does not know.' },
  deployment_pending: {
    code: 'forbidden',
    reason: 'Attest has just been added to this part of your LMS (a new deployment). Attest has recorded it and opens here once an Attest administrator approves it; nothing has been lost.',
  },
  review_not_assessor: { code: 'forbidden', reason: 'Only the course’s assessors can open another learner’s unit from the gradebook.' },
  review_without_unit: { code: 'forbidden', reason: 'This gradebook link is not for an Attest unit activity in a course.' },
  review_learner_not_in_course: { code: 'not_found', reason: 'The learner this gradebook link names is not a learner in this course.' },
  not_found: { code: 'not_found', reason: 'There is nothing here.' },
};

const ADVICE = 'Open the activity again from your course; if this keeps happening, tell your college’s LMS administrator.';
const SHORT_ADVICE = 'Open the activity again from your course.';

/** What the request said it came from; attacker-controlled, shown only escaped. */
export interface RefusalContext {
  readonly issuer?: string | undefined;
  readonly clientId?: string | undefined;
  readonly deploymentId?: string | undefined;
}

export interface LtiRefusal {
  readonly kind: LtiRefusalKind;
  readonly code: ErrorCode;
  readonly status: number;
  /** The plain-English reason, without advice. */
  readonly reason: string;
  readonly context: RefusalContext;
}

export function ltiRefusal(kind: LtiRefusalKind, context: RefusalContext = {}): LtiRefusal {
  const { code, reason } = refusals[kind];
  return { kind, code, status: errorStatus[code], reason, context };
}

/** The JSON message: the reason and, except for a plain 404, what to do. */
export function refusalMessage(refusal: LtiRefusal): string {
  return refusal.kind === 'not_found' ? refusal.reason : `${refusal.reason} ${SHORT_ADVICE}`;
}

/** Cuts what we echo so a long forged value cannot fill the page. */
function shown(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

export function refusalPage(refusal: LtiRefusal): HtmlPage {
  const details = [
    `error code <code>${escapeHtml(refusal.code)}</code> (<code>${escapeHtml(refusal.kind)}</code>)`,
    ...(refusal.context.issuer !== undefined ? [`LMS issuer <code>${escapeHtml(shown(refusal.context.issuer))}</code>`] : []),
    ...(refusal.context.clientId !== undefined ? [`client id <code>${escapeHtml(shown(refusal.context.clientId))}</code>`] : []),
    ...(refusal.context.deploymentId !== undefined ? [`deployment id <code>${escapeHtml(shown(refusal.context.deploymentId))}</code>`] : []),
  ];
  return htmlPage({
    title: 'Attest could not open this activity',
    bodyHtml: [
      '<h1>Attest could not open this activity</h1>',
      `<p>${escapeHtml(refusal.reason)}</p>`,
      `<p>${escapeHtml(ADVICE)}</p>`,
      `<p class="support">For support: ${details.join(', ')}.</p>`,
    ].join('\n'),
  });
}

function isFormPostTo(req: Request, path: string): boolean {
  return req.method === 'POST' && req.path === path && req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

/**
 * Whether this request is a browser's: its Accept prefers HTML to JSON, or it is the platform's
 * form_post of the id_token to `launchPath` (a browser navigation whatever its Accept says, unless
 * that Accept asks for JSON over HTML).
 */
export function prefersHtml(req: Request, launchPath: string): boolean {
  if (req.accepts(['application/json', 'text/html']) === 'text/html') return true;
  return isFormPostTo(req, launchPath) && req.accepts(['text/html', 'application/json']) === 'text/html';
}

export function sendRefusal(req: Request, res: Response, refusal: LtiRefusal, launchPath: string): void {
  if (prefersHtml(req, launchPath)) return sendHtmlPage(res, refusal.status, refusalPage(refusal));
  res.status(refusal.status).set('cache-control', 'no-store').json({ error: { code: refusal.code, message: refusalMessage(refusal) } });
}
