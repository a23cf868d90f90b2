// A whole-course resync at college scale under the platform's rate limit, the tool killed halfway
// (issue 14): 2,000 learners × 20 units = 40,000 grades Attest sent yesterday and the LMS has since
// lost; the instructor presses "Resync the course" (POST /api/sync/course/resync, as the sync
// dashboard does) on a tool process (`src/main.ts`), which reads the gradebook, queues a new score
// per grade and delivers them to the platform emulator over real HTTP with its throttle on; it is
// SIGKILLed once half are sent and a second one finishes. Prints how long the request took, how long
// until the gradebook held every grade, scores per second, the throttled answers, the duplicates the
// platform accepted after the kill and what was lost (must be 0).
//
//   npx pnpm@10.34.9 --filter @attest/tool run bench:resync                      # 2,000 × 20 on Canvas
//   npx pnpm@10.34.9 --filter @attest/tool run bench:resync -- --learners 200 --units 5 --platform moodle
//
// Options: --learners N (2000), --units N (20), --platform canvas|moodle (canvas), and the limit:
// Canvas's leaky bucket with Canvas's defaults (hwm 600, 10/s leak, 50 up front) and
// --request-cost C (0.1: the CPU + DB seconds Canvas would charge an AGS call), or for Moodle, which
// has no limit of its own, a generic one: --rps N (40) --burst N (20), answered 429 + Retry-After.
// Needs PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (a superuser URL; a throwaway database is
// created and dropped). Not part of `test`: figures are printed, never asserted, except lost = 0.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { RateLimit } from '@attest/platform-emulator';
import { JOB_EXPIRE_SECONDS } from '../src/jobs/index.ts';
import { runKilledResync } from '../test/support/killed-resync.ts';
import { loadAverage } from './figures.ts';

const { values } = parseArgs({
  // pnpm passes the `--` that separates its own options through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    learners: { type: 'string', default: '2000' },
    units: { type: 'string', default: '20' },
    platform: { type: 'string', default: 'canvas' },
    'request-cost': { type: 'string', default: '0.1' },
    rps: { type: 'string', default: '40' },
    burst: { type: 'string', default: '20' },
  },
});
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
};
const learners = Math.floor(positive('learners', values.learners));
const units = Math.floor(positive('units', values.units));
if (values.platform !== 'canvas' && values.platform !== 'moodle') throw new Error('--platform must be canvas or moodle');
const platform = values.platform;
const rateLimit: RateLimit =
  platform === 'canvas'
    ? { kind: 'canvas', requestCost: positive('request-cost', values['request-cost']) }
    : { kind: 'requestsPerSecond', requestsPerSecond: positive('rps', values.rps), burst: positive('burst', values.burst) };

const adminUrl = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
if (!adminUrl) throw new Error('Set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL superuser URL: the benchmark creates and drops a database there.');

const load = loadAverage;
const scores = learners * units;
console.log(`resync benchmark: ${learners} learners × ${units} units = ${scores} scores, ${platform} emulator, limit ${JSON.stringify(rateLimit)}; ${availableParallelism()} cores, load ${load()}`);
const started = performance.now();
const figures = await runKilledResync({
  adminUrl,
  platform,
  learners,
  units,
  rateLimit,
  killAt: Math.floor(scores / 2),
  stepTimeoutMs: Math.max(300_000, scores * 60),
  progress: (line) => console.log(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`),
});
const line = (label: string, value: string) => `${label.padEnd(44)} ${value}`;
console.log(
  [
    '',
    line('the course resync request answered', `${figures.enqueueSeconds.toFixed(1)} s  (the gradebook read; ${figures.scores} rows, audit entries and jobs queued: ${(figures.scores / figures.enqueueSeconds).toFixed(0)} scores/s)`),
    line('from the request until the LMS held all', `${figures.untilGradebookCompleteSeconds.toFixed(1)} s  (${figures.scoresPerSecond.toFixed(1)} scores/s, ${figures.deliveriesPerServer} deliveries at once per server)`),
    line('until no passback was pending', `${figures.untilAllRecordedSeconds.toFixed(1)} s  (a delivery cut short by the kill waits for its job's expiry: ${JOB_EXPIRE_SECONDS} s + pg-boss's supervision)`),
    line(`throttled answers (${platform === 'canvas' ? '403 Rate Limit Exceeded' : '429 + Retry-After'})`, `${figures.throttledAnswers}  (of ${figures.throttledAnswers + figures.allowedServiceCalls} service calls)`),
    line('sent when the first server was killed', String(figures.sentWhenKilled)),
    line('duplicates the platform accepted', String(figures.duplicates)),
    line('rows sent / failed', `${figures.sentRows} / ${figures.failedRows}`),
    line('lost', String(figures.lost)),
    line('load average now', load()),
  ].join('\n'),
);
if (figures.lost !== 0 || figures.failedRows !== 0) {
  console.error(`FAILED: ${figures.lost} lost, ${figures.failedRows} failed`);
  process.exitCode = 1;
}
