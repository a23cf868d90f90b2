// Canvas's rules for the client-credentials token endpoint and Names and Role Provisioning, from
// instructure/canvas-lms (stored versions; newer Canvas may differ):
// - lib/canvas/oauth/asymmetric_client_credentials_provider.rb → Canvas::Security::JwtValidator
//   (lib/canvas/security/jwt_validator.rb #aud, #iat);
// - app/controllers/lti/ims/providers/memberships_provider.rb (MAX_PAGE_SIZE, #pagination_args) and
//   Api.jsonapi_paginate, which writes the Link header;
// - lib/lti/substitutions_helper.rb LIS_V2_LTI_ADVANTAGE_ROLE_MAP (the enrollment → role URIs).
import type { Request, Response } from 'express';
import type { CourseRole } from '../types.ts';
import { Role } from '../lti-vocabulary.ts';

/** JwtValidator#iat: Setting "oauth2_jwt_iat_future_buffer" (30 s) and "oauth2_jwt_iat_ago_in_seconds" (5 min). */
export const iatFutureBufferSeconds = 30;
export const iatMaxAgeSeconds = 300;

/**
 * What JwtValidator refuses beyond the signature and `exp`: an `iat` more than 30 s in the future or
 * more than 5 minutes old, and an `aud` that is not the token URL (a string equal to it, or an array
 * holding it). Returns the messages Canvas uses, none when the assertion passes.
 */
export function canvasAssertionFindings(payload: Record<string, unknown>, input: { readonly now: number; readonly tokenUrl: string }): string[] {
  const findings: string[] = [];
  const aud = payload['aud'];
  if (typeof aud === 'string' ? aud !== input.tokenUrl : !Array.isArray(aud) || !aud.includes(input.tokenUrl)) findings.push("the 'aud' is invalid");
  const iat = payload['iat'];
  if (typeof iat !== 'number') findings.push("the 'iat' must be a number");
  else {
    if (iat < input.now - iatMaxAgeSeconds) findings.push(`the 'iat' must be less than ${iatMaxAgeSeconds} seconds old`);
    if (iat > input.now + iatFutureBufferSeconds) findings.push("the 'iat' must not be in the future");
  }
  return findings;
}

/** MembershipsProvider::MAX_PAGE_SIZE: the default page size and the largest `limit` honoured. */
export const membershipPageSize = 50;

/**
 * MembershipsProvider#pagination_args: pages of 50 unless `limit` asks for fewer (never more);
 * `page` numbers the page; Api.jsonapi_paginate writes `Link: <…>; rel="next"` while more remain
 * (with rel="current"/"first" as well; Canvas also sends rel="last" when it counts, omitted here).
 */
export function canvasMembershipPage<T>(req: Request, res: Response, all: readonly T[], baseUrl: string): readonly T[] {
  const limit = Number(req.query['limit']);
  const perPage = Number.isInteger(limit) && limit > 0 ? Math.min(limit, membershipPageSize) : membershipPageSize;
  return apiPaginate(req, res, all, baseUrl, perPage);
}

/** Api.paginate's page size when none is asked for, and the most it gives (canvas-lms lib/api.rb `per_page`, `max_per_page`). */
export const resultsPageSize = { byDefault: 10, max: 50 } as const;

/**
 * Lti::IMS::ResultsController#index pages its results with Api.paginate, whose `per_page` the AGS
 * `limit` sets: 10 a page unless asked, never more than 50, `Link: <…>; rel="next"` while more remain.
 */
export function canvasResultsPage<T>(req: Request, res: Response, all: readonly T[], baseUrl: string): readonly T[] {
  const limit = Number(req.query['limit'] ?? req.query['per_page']);
  const perPage = Number.isInteger(limit) && limit > 0 ? Math.min(limit, resultsPageSize.max) : resultsPageSize.byDefault;
  return apiPaginate(req, res, all, baseUrl, perPage);
}

/**
 * LIS_V2_LTI_ADVANTAGE_ROLE_MAP for the course enrollment only: NRPS lists a member's roles IN THE
 * CONTEXT (membership#…), not the institution or system roles a launch also carries.
 */
export function canvasContextRoles(role: CourseRole | null): string[] {
  if (role === 'learner') return [Role.learner];
  if (role === 'instructor') return [Role.instructor];
  if (role === 'teachingAssistant') return [Role.teachingAssistant, Role.instructor];
  return [];
}

/**
 * One page of Canvas's Api.paginate: `?page=` of `perPage`, with `Link: rel="current"`, `rel="next"`
 * while more remain, and `rel="first"`; the page URLs carry `per_page` instead of `limit`.
 */
function apiPaginate<T>(req: Request, res: Response, all: readonly T[], baseUrl: string, perPage: number): readonly T[] {
  const pageNumber = Math.max(1, Math.floor(Number(req.query['page'])) || 1);
  const pageUrl = (n: number) => {
    const url = new URL(req.originalUrl, baseUrl);
    url.searchParams.delete('limit');
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return url.href;
  };
  const links = [`<${pageUrl(pageNumber)}>; rel="current"`];
  if (pageNumber * perPage < all.length) links.push(`<${pageUrl(pageNumber + 1)}>; rel="next"`);
  links.push(`<${pageUrl(1)}>; rel="first"`);
  res.set('Link', links.join(','));
  return all.slice((pageNumber - 1) * perPage, pageNumber * perPage);
}
