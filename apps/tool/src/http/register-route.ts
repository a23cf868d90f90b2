import express from 'express';
import type { Request, Response, Router } from 'express';
import { FILE_DOWNLOAD, NO_BODY, FILE_UPLOAD } from '@attest/contracts';
import type { ApiRoute, ParsedBodyOf, ResponseOf } from '@attest/contracts';
import type { z } from 'zod';
import type { LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { launchOf } from './launch-of.ts';
import { parseBody, parseParams } from './parse-body.ts';
import { ROUTE_PATTERN_LOCAL } from './route-label.ts';

/** What a handler gets: the path's parameters and the JSON body, both parsed with the route's schemas, the launch and what `authorise` made of it. */
export interface RouteInput<R extends ApiRoute, S> {
  /** The caller's scope as the route's `authorise` returned it (a learner's or an assessor's scope, or the launch). */
  readonly scope: S;
  readonly params: z.output<R['params']>;
  /** The parsed body; undefined for a route without one (and for the upload, whose body is `req` itself). */
  readonly body: ParsedBodyOf<R>;
  readonly launch: LaunchContext;
  /** For what the table does not describe: the upload's stream and headers. */
  readonly req: Request;
  /** For what the table does not describe: a file download, a Location header. */
  readonly res: Response;
}

/** A JSON route's handler returns its reply; a download's handler has sent the file itself. */
export type RouteResult<R extends ApiRoute> = R['response'] extends typeof FILE_DOWNLOAD ? void : ResponseOf<R>;
export type RouteHandler<R extends ApiRoute, S> = (input: RouteInput<R, S>) => Promise<RouteResult<R>>;
/**
 * Who may call the route: returns the caller's scope, or throws 403 (or 404 where saying 403 would
 * leak). It gets the parsed path parameters for checks such as "this learner is on the roster".
 */
export type Authorise<S, P = unknown> = (launch: LaunchContext, params: P) => S | Promise<S>;

/** Any launch may call it; the scope is the launch. */
export const anyLaunch: Authorise<LaunchContext> = (launch) => launch;

export interface RouteOptions {
  /**
   * Parse every JSON reply with the route's response schema before sending it, and answer 500
   * (logged with the failing paths) when it does not match: on in development and tests, so a
   * reply that drifts from its contract fails there; off in production, where the cost buys nothing.
   */
  readonly checkResponses?: boolean;
}

/** Where the API router is mounted; the table's paths are absolute, the router's are relative to it. */
export const API_MOUNT = '/api';

// One parser for every JSON route, after the route matched: the upload's raw body never meets it.
const json = express.json({ limit: '100kb' });

/**
 * Registers one route of the contracts' table on `router` (mounted at /api): the method and path
 * come from the table; the parameters are parsed with its schema, the caller is authorised, then
 * the body is parsed (so a caller who may not use the route learns nothing from a 400), each
 * refusal through the one error middleware; the handler calls one use case and its result is
 * answered with the table's status.
 */
export function registerRoute<R extends ApiRoute, S>(router: Router, route: R, authorise: Authorise<S, z.output<R['params']>>, handler: RouteHandler<R, S>, options: RouteOptions = {}): void {
  if (!route.path.startsWith(`${API_MOUNT}/`)) throw new Error(`registerRoute: ${route.path} is not under ${API_MOUNT}`);
  const path = route.path.slice(API_MOUNT.length);
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  const hasJsonBody = route.request !== NO_BODY && route.request !== FILE_UPLOAD;

  const handle = async (req: Request, res: Response) => {
    // The table's path labels this request's latency and log line, whatever happens next.
    res.locals[ROUTE_PATTERN_LOCAL] = route.path;
    if (route.request !== FILE_UPLOAD) return answer(req, res);
    try {
      await answer(req, res);
    } catch (error) {
      // Refused before or while reading the upload: closing the connection stops the client sending the rest.
      if (!req.complete) res.set('connection', 'close');
      throw error;
    }
  };
  const answer = async (req: Request, res: Response) => {
    const params = parseParams(route.params, req.params) as z.output<R['params']>;
    const launch = launchOf(res);
    const scope = await authorise(launch, params);
    const body = (hasJsonBody ? parseBody(route.request as z.ZodType, req.body) : undefined) as ParsedBodyOf<R>;
    const result = await handler({ params, body, launch, scope, req, res });
    if (route.response === FILE_DOWNLOAD) {
      if (!res.headersSent) throw new AppError('internal', 'Something went wrong on our side. Please try again.', { logMessage: `${route.method} ${route.path}: the download handler sent nothing` });
      return;
    }
    if (options.checkResponses) checkResponse(route, result);
    res.status(route.status).json(result);
  };
  if (hasJsonBody) router[method](path, json, handle);
  else router[method](path, handle);
}

/** Binds `registerRoute` to one router and its options, so a router file reads as a list of routes. */
export function routesOn(router: Router, options: RouteOptions = {}) {
  return <R extends ApiRoute, S>(route: R, authorise: Authorise<S, z.output<R['params']>>, handler: RouteHandler<R, S>) => registerRoute(router, route, authorise, handler, options);
}

function checkResponse(route: ApiRoute, result: unknown): void {
  const parsed = (route.response as z.ZodType).safeParse(result);
  if (parsed.success) return;
  // The paths and codes only: the values are what users typed.
  const findings = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`).join('; ');
  throw new AppError('internal', 'Something went wrong on our side. Please try again.', { logMessage: `${route.method} ${route.path} answered outside its contract: ${findings}` });
}
