// A whole course's scores resent under the platform's rate limit, with the tool process killed
// halfway: shared by the resync benchmark (bench/resync-course.bench.ts, prints the figures) and its
// small test (test/server/resync-killed.test.ts, asserts on them).
//
// Real PostgreSQL (a database of its own, dropped at the end), the platform emulator over real HTTP
// with its rate limit on, and the tool as a child process (`src/main.ts`, as production starts it),
// SIGKILLed once `killAt` scores are recorded as sent, then a second one started on the same port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlatformEmulator, type RateLimit } from '@attest/platform-emulator';
import { ResyncResultSchema } from '@attest/contracts';
import { CANVAS_SUBMISSION_EXTENSION } from '../../src/assessment/store-unit-score.ts';
import { migrateDatabase, openDatabase, scorePassbacks, type DatabaseConnection } from '../../src/db/index.ts';
import { PASSBACK_CONCURRENCY } from '../../src/jobs/index.ts';
import { SCORE_MAXIMUM } from '../../src/scores/create-score-passback.ts';
import { freePort } from './free-port.ts';
import { launchForLtik } from './launch-for-ltik.ts';
import { withDatabase } from './global-setup.ts';
import { adminQuery } from './admin-query.ts';

const toolDir = fileURLToPath(new URL('../..', import.meta.url));

export interface KilledResyncOptions {
  /** A PostgreSQL superuser URL: a throwaway database is created there and dropped at the end. */
  readonly adminUrl: string;
  readonly platform: 'canvas' | 'moodle';
  readonly learners: number;
  readonly units: number;
  readonly rateLimit: RateLimit;
  /** The first tool process is killed once this many scores are recorded as sent. */
  readonly killAt: number;
  /** Gives up (throwing, with the tool's log) after this long waiting for any one step. */
  readonly stepTimeoutMs: number;
  readonly progress?: (line: string) => void;
}

export interface KilledResyncFigures {
  readonly scores: number;
  /** How long the course resync request took to answer: the gradebook read, every row, audit entry and job queued. */
  readonly enqueueSeconds: number;
  /** From the resync request until the gradebook held every score. */
  readonly untilGradebookCompleteSeconds: number;
  /** From the resync request until no passback row was pending (the killed deliveries included). */
  readonly untilAllRecordedSeconds: number;
  readonly scoresPerSecond: number;
  readonly throttledAnswers: number;
  readonly allowedServiceCalls: number;
  readonly sentWhenKilled: number;
  /** Scores the platform accepted a second time for the same learner and line item. */
  readonly duplicates: number;
  /** Scores missing from the gradebook, or holding another score than the one sent. */
  readonly lost: number;
  readonly failedRows: number;
  readonly sentRows: number;
  readonly deliveriesPerServer: number;
}

interface ToolProcess {
  readonly child: ChildProcess;
  log(): string;
}

export async function runKilledResync(options: KilledResyncOptions): Promise<KilledResyncFigures> {
  const progress = options.progress ?? (() => {});
  const databaseName = `attest_resync_${randomBytes(6).toString('hex')}`;
  const filesDir = mkdtempSync(join(tmpdir(), 'attest-resync-'));
  await adminQuery(options.adminUrl, `create database "${databaseName}"`);
  const databaseUrl = withDatabase(options.adminUrl, databaseName);
  const connection: DatabaseConnection = await openDatabase({ backend: 'postgres', url: databaseUrl, maxConnections: 4 });
  const lms = await startPlatformEmulator({ mode: options.platform });
  const processes: ToolProcess[] = [];
  let reporter: ReturnType<typeof setInterval> | undefined;
  try {
    await migrateDatabase(connection);
    // Both tool processes take this port in turn, so the LMS's JWKS URL stays right.
    const port = await freePort();
    const toolUrl = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PUBLIC_URL: toolUrl,
      LTI_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      EVIDENCE_FILES_DIR: filesDir,
      LOG_LEVEL: 'info',
    };

    // The LMS and the tool registered with each other by hand, as an administrator would.
    const tool = lms.registerTool({ loginUrl: `${toolUrl}/lti/login`, redirectUris: [`${toolUrl}/lti/launch`], jwksUrl: `${toolUrl}/lti/keys`, targetLinkUri: `${toolUrl}/lti/launch` });
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/register-platform.ts', 'register', '--issuer', lms.issuer, '--client-id', tool.clientId, '--name', lms.platformName, '--auth-url', lms.authorizationUrl, '--token-url', lms.tokenUrl, '--jwks-url', lms.jwksUrl, '--deployment', tool.deploymentId],
      { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' },
    );
    if (cli.status !== 0) throw new Error(`register-platform failed:\n${cli.stdout}\n${cli.stderr}`);

    const course = lms.createCourse({ title: 'Whole-college resync' });
    const assessor = lms.createUser({ name: 'Ada Assessor' });
    lms.enrol(course.id, assessor.id, 'instructor');
    const learners = Array.from({ length: options.learners }, (_, n) => lms.createUser({ name: `Learner ${n + 1}` }));
    for (const learner of learners) lms.enrol(course.id, learner.id, 'learner');
    const links = Array.from({ length: options.units }, (_, n) => {
      const link = lms.placeResourceLink({ courseId: course.id, clientId: tool.clientId, title: `Unit ${n + 1}`, custom: { attest_unit: `unit-${n + 1}` }, lineItem: { scoreMaximum: 100, label: `Unit ${n + 1}`, resourceId: `unit-${n + 1}`, tag: 'attest-unit' } });
      if (!link.lineItemId) throw new Error('the emulator placed an activity without a line item');
      return link;
    });
    const lineItemUrls = links.map((link) => link.lineItemId ?? '');

    // The course as it stood: every learner signed off in every unit and the grade delivered
    // yesterday; then the LMS lost them all (a course reset, a restore into a new gradebook).
    // Seeded straight into the table: the setup, not what is measured.
    const scores = learners.flatMap((learner) => lineItemUrls.map((lineItemUrl) => ({ learnerUserId: learner.id, lineItemUrl })));
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    for (let first = 0; first < scores.length; first += 1000) {
      await connection.db.insert(scorePassbacks).values(
        scores.slice(first, first + 1000).map(({ learnerUserId, lineItemUrl }) => ({
          issuer: lms.issuer, clientId: tool.clientId, deploymentId: tool.deploymentId, lineItemUrl, learnerUserId, requestedBy: assessor.id,
          scoreGiven: SCORE_MAXIMUM, scoreMaximum: SCORE_MAXIMUM, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Signed off',
          scoreTimestamp: yesterday, state: 'sent' as const, attempts: 1, lastStatus: 200, createdAt: yesterday, updatedAt: yesterday, sentAt: yesterday,
          extensions: options.platform === 'canvas'
            ? { [CANVAS_SUBMISSION_EXTENSION]: { new_submission: true, submission_type: 'basic_lti_launch', submission_data: `${toolUrl}/lti/launch?attest_learner=${encodeURIComponent(learnerUserId)}`, submitted_at: yesterday.toISOString() } }
            : null,
        })),
      );
    }
    progress(`seeded ${scores.length} grades Attest sent yesterday and the LMS has lost`);

    lms.setRateLimit(options.rateLimit);
    // Only the resync's rows: the seeded ones are yesterday's.
    const countRows = async () => {
      const { rows } = await connection.pool!.query<{ state: string; n: number }>(`select state, count(*)::int as n from score_passbacks where created_at > now() - interval '12 hours' group by state`);
      const of = (state: string) => rows.find((row) => row.state === state)?.n ?? 0;
      return { sent: of('sent'), pending: of('pending'), failed: of('failed') };
    };
    const reporterStarted = performance.now();
    // Every 30 s, how far delivery has got: a run cut short still says how fast it went.
    reporter = setInterval(() => {
      void countRows().then(
        (rows) => progress(`${rows.sent} sent, ${rows.pending} pending, ${rows.failed} failed; ${lms.getRateLimitStats().throttled} throttled answers; ${(rows.sent / ((performance.now() - reporterStarted) / 1000)).toFixed(1)} scores/s so far`),
        () => {},
      );
    }, 30_000);
    const first = await startToolProcess(env, port, options.stepTimeoutMs);
    processes.push(first);
    progress(`first tool process started (pid ${first.child.pid})`);
    // The instructor opens each unit once (Attest learns a course's line items from its launches,
    // decision 20), then presses "Resync the course" on the sync dashboard: the route that button calls.
    let ltik = '';
    for (const link of links) ltik = await launchForLtik(lms.launchUrl({ courseId: course.id, userId: assessor.id, resourceLinkId: link.id }), toolUrl);
    const started = performance.now();
    const reply = await fetch(`${toolUrl}/api/sync/course/resync`, { method: 'POST', headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/json' }, body: JSON.stringify({ confirm: true }) });
    const answer: unknown = await reply.json().catch(() => null);
    const enqueueSeconds = (performance.now() - started) / 1000;
    const resync = ResyncResultSchema.safeParse(answer);
    if (!reply.ok || !resync.success || resync.data.queued !== scores.length) throw new Error(`the course resync answered ${reply.status} ${JSON.stringify(answer)?.slice(0, 300)}, not ${scores.length} queued:\n${first.log().slice(-3000)}`);
    progress(`the course resync answered ${reply.status} in ${enqueueSeconds.toFixed(1)} s: ${resync.data.queued} scores queued`);
    await waitFor(async () => (await countRows()).sent >= options.killAt, options.stepTimeoutMs, () => `fewer than ${options.killAt} sent:\n${first.log().slice(-3000)}`);
    first.child.kill('SIGKILL');
    await new Promise<void>((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve() : first.child.once('exit', () => resolve())));
    const sentWhenKilled = (await countRows()).sent;
    progress(`killed the first tool process with ${sentWhenKilled} sent`);

    const second = await startToolProcess(env, port, options.stepTimeoutMs);
    processes.push(second);
    progress(`second tool process started (pid ${second.child.pid})`);
    const gradebookCount = () => lms.getGradebook(course.id).length;
    // Building the emulator's gradebook of 40,000 entries takes this process's CPU from the
    // delivery it measures: ask it only every 5 s.
    await waitFor(async () => gradebookCount() >= scores.length, options.stepTimeoutMs * 4, () => `the gradebook holds ${gradebookCount()} of ${scores.length}:\n${second.log().slice(-3000)}`, 5_000);
    const untilGradebookCompleteSeconds = (performance.now() - started) / 1000;
    progress(`the gradebook holds all ${scores.length} after ${untilGradebookCompleteSeconds.toFixed(1)} s`);
    // A delivery the kill cut short waits for pg-boss to expire its job (JOB_EXPIRE_SECONDS + supervision).
    await waitFor(async () => (await countRows()).pending === 0, options.stepTimeoutMs * 2, () => `passbacks still pending:\n${second.log().slice(-3000)}`);
    const untilAllRecordedSeconds = (performance.now() - started) / 1000;

    const rows = await countRows();
    const gradebook = lms.getGradebook(course.id);
    const held = new Map(gradebook.map((entry) => [`${entry.lineItemId} ${entry.userId}`, entry]));
    const lost = scores.filter(({ learnerUserId, lineItemUrl }) => held.get(`${lineItemUrl} ${learnerUserId}`)?.scoreGiven !== 100).length;
    const stats = lms.getRateLimitStats();
    return {
      scores: scores.length,
      enqueueSeconds,
      untilGradebookCompleteSeconds,
      untilAllRecordedSeconds,
      scoresPerSecond: scores.length / untilGradebookCompleteSeconds,
      throttledAnswers: stats.throttled,
      allowedServiceCalls: stats.allowed,
      sentWhenKilled,
      duplicates: gradebook.reduce((sum, entry) => sum + entry.acceptedScores - 1, 0),
      lost,
      failedRows: rows.failed,
      sentRows: rows.sent,
      deliveriesPerServer: PASSBACK_CONCURRENCY,
    };
  } finally {
    clearInterval(reporter);
    for (const { child } of processes) child.kill('SIGKILL');
    await lms.close();
    await connection.close();
    await adminQuery(options.adminUrl, `drop database if exists "${databaseName}" with (force)`).catch(() => undefined);
    rmSync(filesDir, { recursive: true, force: true });
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, describe: () => string, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(timeoutMs / 1000)} s: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One tool process (`src/main.ts`) on `port`, once it says it listens; keeps the tail of its output. */
async function startToolProcess(env: Record<string, string>, port: number, timeoutMs: number): Promise<ToolProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: toolDir, env: { PATH: process.env['PATH'] ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stderr?.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the tool did not listen within ${Math.round(timeoutMs / 1000)} s:\n${output}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (output.includes('Attest tool listening at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`the tool exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, log: () => output };
}

