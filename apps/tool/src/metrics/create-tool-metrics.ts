// What an operator watches (decision 17), in Prometheus's text format at /metrics. One registry per
// server, not prom-client's global one: tests and the demo run several servers in one process.
// Labels are bounded sets (route patterns, status classes, refusal kinds, queue names), never ids.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The queue's jobs by state and how long the oldest waiting one has waited (src/jobs/start-job-queue.ts). */
export interface QueueDepth {
  readonly queue: string;
  /** Waiting to start (pg-boss `created`, or `retry` after a failed attempt). */
  readonly waiting: number;
  readonly active: number;
  /** Seconds since the oldest waiting job was created; 0 with none waiting. */
  readonly oldestWaitingSeconds: number;
}

export type PassbackOutcome = 'sent' | 'retry' | 'throttled' | 'failed' | 'skipped';

export interface ToolMetrics {
  readonly registry: Registry;
  observeRequest(request: { method: string; route: string; statusCode: number }, seconds: number): void;
  /** A score delivery's outcome and the LMS's HTTP status (null: no answer, or none asked). */
  countPassbackOutcome(outcome: PassbackOutcome, lmsStatus: number | null): void;
  /** A login or launch refused, by its refusal kind (src/lti/lti-refusal.ts). */
  countLaunchRefusal(reason: string): void;
  /** Where the queue gauges read from at scrape time; until set they stay empty. */
  readQueueDepthsFrom(read: () => Promise<readonly QueueDepth[]>): void;
}

export function createToolMetrics(): ToolMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'attest_' });

  const requestDuration = new Histogram({
    name: 'attest_http_request_duration_seconds',
    help: 'Time from a request arriving to its response ending, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    // From a health check to a caseload of 200 learners on a busy machine.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const passbackOutcomes = new Counter({
    name: 'attest_score_passback_outcomes_total',
    help: 'Score deliveries to the LMS by outcome (sent, retry, failed, skipped) and the LMS HTTP status (none: no answer).',
    labelNames: ['outcome', 'status'] as const,
    registers: [registry],
  });
  const launchRefusals = new Counter({
    name: 'attest_launch_refusals_total',
    help: 'LTI logins and launches refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  let readQueueDepths: (() => Promise<readonly QueueDepth[]>) | null = null;
  new Gauge({
    name: 'attest_job_queue_depth',
    help: 'Jobs in each queue by state (waiting, active), read from the database when scraped.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of (await readQueueDepths?.()) ?? []) {
        this.set({ queue: depth.queue, state: 'waiting' }, depth.waiting);
        this.set({ queue: depth.queue, state: 'active' }, depth.active);
      }
    },
  });
  new Gauge({
    name: 'attest_job_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue (0: none waiting), read from the database when scraped.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of (await readQueueDepths?.()) ?? []) this.set({ queue: depth.queue }, depth.oldestWaitingSeconds);
    },
  });

  return {
    registry,
    observeRequest(request, seconds) {
      requestDuration.observe({ method: request.method, route: request.route, status_class: `${Math.floor(request.statusCode / 100)}xx` }, seconds);
    },
    countPassbackOutcome(outcome, lmsStatus) {
      passbackOutcomes.inc({ outcome, status: lmsStatus === null ? 'none' : String(lmsStatus) });
    },
    countLaunchRefusal(reason) {
      launchRefusals.inc({ reason });
    },
    readQueueDepthsFrom(read) {
      readQueueDepths = read;
    },
  };
}
