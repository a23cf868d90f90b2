import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.ts';
import type { ToolMetrics } from '../metrics/create-tool-metrics.ts';
import { routeLabelOf } from './route-label.ts';

/** Times every request from arrival to the end of its response (or the client leaving), by route pattern. */
export function measureRequests(metrics: ToolMetrics): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      metrics.observeRequest({ method: req.method, route: routeLabelOf(req, res), statusCode: res.statusCode }, seconds);
    });
    next();
  };
}

/**
 * GET /metrics for a scraper holding ATTEST_METRICS_TOKEN as a bearer token; anyone else gets 401
 * through the one error middleware. Routes, queue depths and refusal counts say how the tool is
 * used, so they are not public. Compared as SHA-256 digests in constant time: equal lengths, and
 * the time taken says nothing about how much of the token a guess got right.
 */
export function serveMetrics(metrics: ToolMetrics, token: string): RequestHandler {
  const expected = digest(token);
  return async (req, res, next) => {
    const presented = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      res.set('www-authenticate', 'Bearer realm="attest-metrics"');
      return next(new AppError('unauthenticated', 'The metrics need the bearer token the tool was configured with.'));
    }
    try {
      const body = await metrics.registry.metrics();
      res.set('content-type', metrics.registry.contentType).set('cache-control', 'no-store').send(body);
    } catch (error) {
      next(error);
    }
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
