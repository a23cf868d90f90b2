// Opt-in request throttling of the platform's LTI service calls (AGS, NRPS), answered the way each
// platform answers it. Off unless a test or benchmark sets one (setRateLimit).
//
// Canvas: app/middleware/request_throttle.rb in instructure/canvas-lms (documented in
// doc/api/throttling.md). Every request goes through one leaky bucket per client; LTI Advantage
// service calls are bucketed by the access token's developer key (`lti_advantage_client_id_and_cluster`:
// "lti_advantage:<client_id>-<cluster>"), so AGS score posts are throttled per tool, not per user.
// A request first adds an up-front cost (default 50) that is credited back when it finishes, so
// parallel requests fill the bucket; it is refused while the count is at or over the high-water
// mark (`full?`: count >= hwm, default 600); a finished request adds its real cost (CPU + DB seconds);
// the bucket leaks `outflow` (default 10) per second and never holds more than `maximum` (default
// 800). A refusal is `403` with `text/plain` "403 Forbidden (Rate Limit Exceeded)" and
// `X-Rate-Limit-Remaining: 0.0`, without Retry-After; other answers carry `X-Request-Cost` and
// `X-Rate-Limit-Remaining` (hwm - count).
//
// Moodle has no throttle of its own: mod/lti/services.php dispatches each service call straight to
// its resource. A limit in front of a Moodle is the web server's or a proxy's; the emulator's generic
// limit answers as RFC 6585 §4 has it: 429 with Retry-After (seconds).
import type { RequestHandler } from 'express';
import type { EmulatorState } from './emulator-state.ts';
import type { RateLimit, RateLimitStats } from './types.ts';

/** Canvas's defaults (request_throttle.rb LeakyBucket settings). */
export const CANVAS_THROTTLE_DEFAULTS = { hwm: 600, maximum: 800, outflowPerSecond: 10, upFrontCost: 50, requestCost: 0.1 } as const;

interface Bucket {
  count: number;
  lastTouchedMs: number;
}

/** The buckets of the limit in force, one per tool (its client id, as Canvas keys LTI Advantage calls). */
export class RateLimiter {
  #limit: RateLimit | null = null;
  #buckets = new Map<string, Bucket>();
  #throttled = 0;
  #allowed = 0;

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  set(limit: RateLimit | null): void {
    this.#limit = limit;
    this.#buckets = new Map();
    this.#throttled = 0;
    this.#allowed = 0;
  }

  get limit(): RateLimit | null {
    return this.#limit;
  }

  stats(): RateLimitStats {
    return { throttled: this.#throttled, allowed: this.#allowed };
  }

  /** Leaks the bucket to now, adds `amount`, and keeps it within 0..`maximum` (increment_bucket.lua). */
  #increment(bucket: Bucket, amount: number, outflowPerSecond: number, maximum: number): void {
    const now = this.nowMs();
    if (bucket.count > 0) bucket.count -= (outflowPerSecond * Math.max(0, now - bucket.lastTouchedMs)) / 1000;
    bucket.count = Math.min(maximum, Math.max(0, bucket.count + amount));
    bucket.lastTouchedMs = now;
  }

  #bucketOf(client: string): Bucket {
    let bucket = this.#buckets.get(client);
    if (!bucket) this.#buckets.set(client, (bucket = { count: 0, lastTouchedMs: this.nowMs() }));
    return bucket;
  }

  /** The Express middleware for the service routes: refuses or lets through, as the limit says. */
  middleware(state: EmulatorState): RequestHandler {
    return (req, res, next) => {
      const limit = this.#limit;
      const header = req.get('authorization') ?? '';
      if (!limit || !header.startsWith('Bearer ')) {
        next();
        return;
      }
      // Only calls bearing an access token this platform issued are LTI service calls; anything
      // else (a registration token, a bad token) goes on to its route's own answer.
      const token = state.accessTokens.get(header.slice(7).trim());
      if (!token) {
        next();
        return;
      }
      const bucket = this.#bucketOf(token.clientId);

      if (limit.kind === 'requestsPerSecond') {
        // A token bucket: `burst` calls at once, refilled at `requestsPerSecond`; count = tokens used.
        this.#increment(bucket, 0, limit.requestsPerSecond, limit.burst);
        if (bucket.count + 1 > limit.burst) {
          this.#throttled += 1;
          const waitSeconds = Math.max(1, Math.ceil((bucket.count + 1 - limit.burst) / limit.requestsPerSecond));
          res.set('Retry-After', String(waitSeconds)).status(429).json({ error: 'too_many_requests', message: 'Rate limit exceeded' });
          return;
        }
        this.#increment(bucket, 1, limit.requestsPerSecond, limit.burst);
        this.#allowed += 1;
        next();
        return;
      }

      const settings = { ...CANVAS_THROTTLE_DEFAULTS, ...withoutUndefined(limit) };
      const { hwm, maximum, outflowPerSecond, upFrontCost, requestCost } = settings;
      // reserve_capacity: the up-front cost first, then the high-water-mark check (allowed?).
      this.#increment(bucket, upFrontCost, outflowPerSecond, maximum);
      if (bucket.count >= hwm) {
        this.#throttled += 1;
        this.#increment(bucket, -upFrontCost, outflowPerSecond, maximum);
        res.status(403).set({ 'Content-Type': 'text/plain; charset=utf-8', 'X-Rate-Limit-Remaining': '0.0' }).send('403 Forbidden (Rate Limit Exceeded)\n');
        return;
      }
      this.#allowed += 1;
      // The answer's headers are written before the final increment; Canvas reports the count after it.
      const remainingAfter = Math.max(0, hwm - Math.min(maximum, Math.max(0, bucket.count + requestCost - upFrontCost)));
      res.set({ 'X-Request-Cost': String(requestCost), 'X-Rate-Limit-Remaining': remainingAfter.toFixed(1) });
      res.on('close', () => this.#increment(bucket, requestCost - upFrontCost, outflowPerSecond, maximum));
      next();
    };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key, entry]) => entry !== undefined && key !== 'kind')) as Partial<T>;
}
