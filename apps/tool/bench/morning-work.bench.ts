// A morning's work (issue 15 item 4): 45 learners and 5 assessors of one course, 50 virtual users at
// once, each going through its own morning over real HTTP, making the requests the web UI makes
// (apps/web/src, through the contracts' route table) with no pause between them. Seeds the course's
// caseload mix of test/support/seed-course-caseload.ts (three items for most learners, some judged,
// a signed observation and a report) on a throwaway PostgreSQL database, launches every user once
// from an emulated Moodle (not timed: the launch-storm bench covers launches), then runs the users'
// loops concurrently:
//   learner  GET /api/session, the unit, the portfolio and the assessment (the unit page), then a new
//            item: created as a draft, saved again with the version check, its mappings set and
//            changed, now and then a file (a PNG through the resumable upload the UI uses, or a text
//            file through the one-request upload route), submitted; the portfolio is read again
//            after every confirmed write, as the UI's unit page does.
//   assessor GET /api/session, the unit and the caseload, opens a learner of their share of the roster
//            (portfolio and own profile), judges that learner's oldest submitted item still awaiting
//            a decision, and now and then writes an observation record (signed or draft) or feedback.
// Each assessor has a fifth of the learners, so two assessors never judge the same item (which
// would be a correct 409). Every request must answer its route's success status; any other answer
// is counted, printed and makes the run exit non-zero. Prints p50/p95/max per route (method and
// route pattern), throughput, and the load average, which these figures move with. With no think
// time each user sends its next request as soon as the last is answered, so a latency here is
// mostly waiting behind the other 49 users' requests (one Node process, a pool of 10 connections):
// read the figures against each other and against requests/s, not as one user's wait on a quiet day.
//
//   TEST_DATABASE_URL=postgres://… npx pnpm@10.34.9 --filter @attest/tool run bench:morning
//   (prints the process's memory every 10 s of the run too)
//
// PostgreSQL only (TEST_DATABASE_URL with CREATE DATABASE rights, or DATABASE_URL): a throwaway
// database is created and dropped. MORNING_ITERATIONS sets each user's loop count (default 8).
// Not part of `test`: timings are reported, never asserted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPlatformEmulator } from '@attest/platform-emulator';
import { apiRoutes, AUTHENTICITY_DECLARATION, pathOf, RESUMABLE_UPLOADS_PATH } from '@attest/contracts';
import type { ApiRoute, BodyOf, EvidenceDraft, EvidenceItem, EvidenceMappingTarget, ParamsOf, RecordContent, ResponseOf } from '@attest/contracts';
import { buildUnitIndex } from '@attest/standards';
import { openDatabase } from '../src/db/index.ts';
import type { DatabaseConnection } from '../src/db/index.ts';
import { startToolServer } from '../src/index.ts';
import { BrowserlessAgent } from '../test/lti/browserless-agent.ts';
import { pngBytes } from '../test/support/png-bytes.ts';
import { seedCourseCaseload } from '../test/support/seed-course-caseload.ts';
import { percentile, loadAverage } from './figures.ts';

const LEARNERS = 45;
const ASSESSORS = 5;
/** Each user's loops; 8 keeps the whole run under three minutes on two cores (about 15 requests a learner's loop). */
const ITERATIONS = Number(process.env['MORNING_ITERATIONS'] ?? 8);
/** Launches run this many at a time before the morning starts. */
const LAUNCH_CONCURRENCY = 5;
/** The tool's default pool (open-database.ts), as in production. */
const POOL_SIZE = 10;


const load = loadAverage;

function memoryNow(): { rss: string; heap: string } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rss: (usage.rss / 1024 / 1024).toFixed(0), heap: (usage.heapUsed / 1024 / 1024).toFixed(0) };
}

/** A calendar date `days` before today (activity dates are in the past). */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** Every request's latency by route, and every answer that was not the route's success. */
class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly failures: { key: string; status: number; body: string }[] = [];
  nonSuccess = 0;
  total = 0;

  record(key: string, ms: number, status: number, expected: number, body: string): void {
    this.total += 1;
    const list = this.latencies.get(key) ?? [];
    list.push(ms);
    this.latencies.set(key, list);
    if (status < 200 || status > 299) this.nonSuccess += 1;
    if (status !== expected) this.failures.push({ key, status, body: body.slice(0, 400) });
  }
}

class UnexpectedAnswer extends Error {}

type JsonRoute = ApiRoute & { readonly response: { parse(input: unknown): unknown } };

/** One launched user's API client: each call is timed under its route pattern and must answer the route's status. */
function clientFor(baseUrl: string, token: string, recorder: Recorder) {
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };

  async function send(key: string, url: string, init: RequestInit, expected: number): Promise<{ body: string; headers: Headers }> {
    const started = performance.now();
    const response = await fetch(url, init);
    const body = await response.text();
    recorder.record(key, performance.now() - started, response.status, expected, body);
    if (response.status !== expected) throw new UnexpectedAnswer(`${key} (${url}) answered ${response.status}, expected ${expected}: ${body.slice(0, 300)}`);
    return { body, headers: response.headers };
  }

  return {
    /** A JSON route of the table, as apps/web's api-client calls it. */
    async call<R extends JsonRoute>(route: R, params: ParamsOf<R>, body?: BodyOf<R>): Promise<ResponseOf<R>> {
      const init: RequestInit = body === undefined ? { method: route.method, headers: auth } : { method: route.method, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const answer = await send(`${route.method} ${route.path}`, `${baseUrl}${pathOf(route, params)}`, init, route.status);
      return JSON.parse(answer.body) as ResponseOf<R>;
    },
    /** A read whose answer this user does not look at: not parsed, so the bench's own work stays off the server's event loop. */
    async read<R extends JsonRoute>(route: R, params: ParamsOf<R>): Promise<void> {
      await send(`${route.method} ${route.path}`, `${baseUrl}${pathOf(route, params)}`, { method: route.method, headers: auth }, route.status);
    },
    /** The one-request upload route: the file's raw bytes, its type in Content-Type, its name percent-encoded in X-File-Name. */
    async addFile(itemId: string, name: string, mediaType: string, bytes: Uint8Array): Promise<EvidenceItem> {
      const route = apiRoutes.addEvidenceFile;
      const init: RequestInit = { method: route.method, headers: { ...auth, 'content-type': mediaType, 'x-file-name': encodeURIComponent(name) }, body: bytes };
      const answer = await send(`${route.method} ${route.path}`, `${baseUrl}${pathOf(route, { id: itemId })}`, init, route.status);
      return JSON.parse(answer.body) as EvidenceItem;
    },
    /** The UI's upload (tus-js-client with its defaults): POST creates the upload, one PATCH sends every byte and answers the item. */
    async resumableUpload(itemId: string, name: string, mediaType: string, bytes: Uint8Array): Promise<EvidenceItem> {
      const tus = { ...auth, 'tus-resumable': '1.0.0' };
      const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
      const metadata = `itemId ${b64(itemId)},filename ${b64(name)},filetype ${b64(mediaType)}`;
      const created = await send(`POST ${RESUMABLE_UPLOADS_PATH} (tus)`, `${baseUrl}${RESUMABLE_UPLOADS_PATH}`, { method: 'POST', headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': metadata } }, 201);
      const location = created.headers.get('location');
      if (location === null) throw new UnexpectedAnswer(`POST ${RESUMABLE_UPLOADS_PATH} answered 201 without a Location`);
      const patched = await send(`PATCH ${RESUMABLE_UPLOADS_PATH}/:uploadId (tus)`, new URL(location, baseUrl).href, { method: 'PATCH', headers: { ...tus, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes }, 200);
      return JSON.parse(patched.body) as EvidenceItem;
    },
  };
}

type Client = ReturnType<typeof clientFor>;

async function inBatches<T, R>(values: readonly T[], size: number, each: (value: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < values.length; start += size) results.push(...(await Promise.all(values.slice(start, start + size).map((value, k) => each(value, start + k)))));
  return results;
}

async function run(connection: DatabaseConnection): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const tool = await startToolServer({ connection, env: { host: '127.0.0.1', port: 0, publicUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), nodeEnv: 'production', logLevel: 'warn', reconcileEveryMinutes: null }, log: () => {} });
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  try {
    const [entry] = [...(await tool.catalogue.list())].sort((a, b) => b.statementCount - a.statementCount);
    if (!entry) throw new Error('the standards catalogue is empty');
    const unit = await tool.catalogue.findUnit(entry.id);
    if (!unit) throw new Error(`unit ${entry.id} vanished`);
    const keys = buildUnitIndex(unit).statements.map((s) => s.key);
    const statement = (n: number): EvidenceMappingTarget => ({ unitId: unit.id, target: 'statement', ref: keys[n % keys.length] ?? '' });

    const registration = lms.registerTool({ loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch` });
    await tool.lti.platforms.register({ issuer: lms.issuer, clientId: registration.clientId, name: lms.platformName, authenticationEndpoint: lms.authorizationUrl, accessTokenEndpoint: lms.tokenUrl, jwksUrl: lms.jwksUrl, deploymentIds: [registration.deploymentId] });
    const course = lms.createCourse({ title: 'Benchmark course' });
    const assessors = Array.from({ length: ASSESSORS }, (_, i) => lms.createUser({ name: `Assessor ${i + 1}` }));
    for (const assessor of assessors) lms.enrol(course.id, assessor.id, 'instructor');
    const learners = Array.from({ length: LEARNERS }, (_, i) => lms.createUser({ name: `Learner ${String(i + 1).padStart(2, '0')}` }));
    for (const learner of learners) lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id }, lineItem: { scoreMaximum: 100, label: unit.title, resourceId: unit.id, tag: 'attest-unit' } });

    const setupStarted = performance.now();
    const courseKey = { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, contextId: course.id };
    const [firstAssessor] = assessors;
    if (!firstAssessor) throw new Error('no assessors');
    const seeded = await seedCourseCaseload(tool, { course: courseKey, unit, learnerUserIds: learners.map((l) => l.id), assessor: { userId: firstAssessor.id, userName: firstAssessor.name } });
    const seedMs = performance.now() - setupStarted;

    const launchStarted = performance.now();
    const launch = async (userId: string): Promise<string> => {
      const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
      const ltik = new URL(end.url).searchParams.get('ltik');
      if (!ltik) throw new Error(`the launch of ${userId} ended at ${end.url} without an ltik`);
      return ltik;
    };
    const everyone = [...learners, ...assessors];
    const tokens = await inBatches(everyone, LAUNCH_CONCURRENCY, (user) => launch(user.id));
    const launchMs = performance.now() - launchStarted;

    const recorder = new Recorder();
    const clients = tokens.map((token) => clientFor(tool.url, token, recorder));
    const counts = { items: 0, submitted: 0, files: 0, judgements: 0, records: 0, feedback: 0, noItemToJudge: 0 };

    const learnerMorning = async (api: Client, l: number): Promise<void> => {
      for (let n = 0; n < ITERATIONS; n++) {
        // The unit page: the app's session, the unit, the portfolio and the assessment section.
        await api.read(apiRoutes.getSession, {});
        await api.read(apiRoutes.getUnit, { unitId: unit.id });
        await api.read(apiRoutes.getPortfolio, {});
        await api.read(apiRoutes.getLearnerAssessment, {});
        // A new item: saved as soon as it has a title, then autosaved as the account grows; each
        // confirmed write makes the page read the portfolio (and its verdict) again.
        const withFile = n % 4 === 1;
        const evidenceType: EvidenceDraft['evidenceType'] = withFile ? 'document' : n % 2 === 0 ? 'personal-statement' : 'witness-statement';
        const draft: EvidenceDraft = { title: `Returns desk, visit ${n + 1}`, description: '', evidenceType, activityDate: daysAgo((l + n) % 60), customerRef: null, occasionRef: null, workSetting: 'real-job' };
        let item = await api.call(apiRoutes.createEvidence, {}, draft);
        counts.items += 1;
        await api.read(apiRoutes.getPortfolio, {});
        const fuller: EvidenceDraft = { ...draft, description: 'I greeted the customer at once, listened to the problem with the return and explained the refund options. '.repeat(3), customerRef: `Customer ${(l * 7 + n) % 31}`, occasionRef: `Shift ${n + 1}` };
        item = await api.call(apiRoutes.updateEvidence, { id: item.id }, { baseVersion: item.version, draft: fuller });
        await api.read(apiRoutes.getPortfolio, {});
        // Two runs of ticks in the mapping grid, each one save.
        item = await api.call(apiRoutes.updateEvidenceMappings, { id: item.id }, { baseVersion: item.version, mappings: [statement(l * 5 + n * 3), statement(l * 5 + n * 3 + 1)] });
        await api.read(apiRoutes.getPortfolio, {});
        item = await api.call(apiRoutes.updateEvidenceMappings, { id: item.id }, { baseVersion: item.version, mappings: [statement(l * 5 + n * 3), statement(l * 5 + n * 3 + 2), statement(l * 5 + n * 3 + 4)] });
        await api.read(apiRoutes.getPortfolio, {});
        if (withFile) {
          // Alternately the UI's resumable upload (a photographed receipt) and the one-request route (typed notes).
          item =
            n % 8 === 1
              ? await api.resumableUpload(item.id, `receipt-${n + 1}.png`, 'image/png', pngBytes(l * 5, n * 11, 90))
              : await api.addFile(item.id, `notes-${n + 1}.txt`, 'text/plain; charset=utf-8', Buffer.from(`Notes of learner ${l + 1}, visit ${n + 1}: the customer left happy.\n`, 'utf8'));
          counts.files += 1;
          await api.read(apiRoutes.getPortfolio, {});
        }
        item = await api.call(apiRoutes.submitEvidence, { id: item.id }, { baseVersion: item.version, declaration: AUTHENTICITY_DECLARATION });
        counts.submitted += 1;
        await api.read(apiRoutes.getPortfolio, {});
      }
    };

    const observation = (a: number, n: number): RecordContent => ({
      kind: 'observation',
      date: daysAgo(n % 30),
      workSetting: 'real-job',
      customerRef: `Customer ${n % 17}`,
      occasionRef: `Observed visit ${n + 1}`,
      place: 'Returns desk, Leeds store',
      observed: `Assessor ${a + 1} watched the learner greet the customer at once, listen, and explain the refund options clearly.`,
      supplementaryEvidence: [],
    });

    const assessorMorning = async (api: Client, a: number): Promise<void> => {
      // A fifth of the roster each, so no two assessors judge the same item.
      const mine = learners.filter((_, i) => i % ASSESSORS === a).map((learner) => learner.id);
      const myLearners = new Set(mine);
      for (let n = 0; n < ITERATIONS; n++) {
        await api.read(apiRoutes.getSession, {});
        await api.read(apiRoutes.getUnit, { unitId: unit.id });
        const caseload = await api.call(apiRoutes.getAssessorCaseload, {});
        // The oldest item of theirs awaiting a decision; with none, the next learner of their share.
        const awaiting = caseload.queue.find((entry) => myLearners.has(entry.learnerUserId));
        const learnerUserId = awaiting?.learnerUserId ?? mine[n % mine.length] ?? '';
        const portfolio = await api.call(apiRoutes.getAssessorPortfolio, { userId: learnerUserId });
        await api.read(apiRoutes.getAssessorProfile, {});
        const item = awaiting ? portfolio.items.find((i) => i.id === awaiting.itemId) : undefined;
        const pending = item?.mappings.filter((m) => m.unitId === unit.id && m.decision === 'pending') ?? [];
        if (item && item.state === 'submitted' && pending.length > 0) {
          // Every fourth judgement refers the first mapping back, with the feedback a referral needs.
          const refer = n % 4 === 3;
          await api.call(
            apiRoutes.judgeEvidence,
            { itemId: item.id },
            {
              baseVersion: item.judgementVersion,
              itemVersion: item.version,
              mappings: pending.map((m, k) => ({ unitId: m.unitId, target: m.target, ref: m.ref, method: m.method, ...(refer && k === 0 ? { decision: 'referred' as const, feedback: 'Say how you kept the customer informed while the refund went through.' } : { decision: 'accepted' as const, feedback: null }) })),
            },
          );
          counts.judgements += 1;
        } else counts.noItemToJudge += 1;
        if (n % 3 === 2) {
          await api.call(apiRoutes.createRecord, { userId: learnerUserId }, { content: observation(a, n), targets: [statement(a * 9 + n), statement(a * 9 + n + 1)], sign: n % 2 === 0, supersedes: null });
          counts.records += 1;
        }
        if (n % 5 === 4) {
          await api.call(apiRoutes.addFeedback, { userId: learnerUserId }, { itemId: item?.id ?? null, text: 'Good account. Next time, note what the customer said at the end.', actionPlan: null });
          counts.feedback += 1;
        }
      }
    };

    const loadBefore = load();
    // Memory of this process (the tool, the emulator and the 50 clients) every 10 s of the run, after
    // a full GC when node runs with --expose-gc (the npm script passes it): it should level off.
    const memory = [memoryNow()];
    const sampler = setInterval(() => memory.push(memoryNow()), 10_000);
    const started = performance.now();
    const stopped: string[] = [];
    const users = [
      ...learners.map((learner, l) => ({ name: learner.name, morning: () => learnerMorning(clients[l]!, l) })),
      ...assessors.map((assessor, a) => ({ name: assessor.name, morning: () => assessorMorning(clients[LEARNERS + a]!, a) })),
    ];
    await Promise.all(
      users.map(async (user) => {
        try {
          await user.morning();
        } catch (error) {
          // This user's morning cannot go on (its next request depends on the refused one); the others carry on.
          stopped.push(`${user.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    memory.push(memoryNow());
    const loadAfter = load();

    const fmt = (ms: number) => ms.toFixed(1).padStart(8);
    const rows = [...recorder.latencies.entries()].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(5, ...rows.map(([key]) => key.length));
    const line = (route: string, list: number[]) => {
      const sorted = [...list].sort((x, y) => x - y);
      return `${route.padEnd(width)} ${String(sorted.length).padStart(6)} ${fmt(percentile(sorted, 50))} ${fmt(percentile(sorted, 95))} ${fmt(sorted.at(-1) ?? NaN)}`;
    };
    console.log(`PostgreSQL (pool of ${POOL_SIZE}), unit ${unit.id} (${keys.length} statements), ${LEARNERS} learners + ${ASSESSORS} assessors = ${users.length} concurrent users, ${ITERATIONS} iterations each, no think time`);
    console.log(`setup: seeded ${seeded} items in ${(seedMs / 1000).toFixed(1)} s; ${everyone.length} launches (${LAUNCH_CONCURRENCY} at a time, not timed below) in ${(launchMs / 1000).toFixed(1)} s`);
    console.log(`work: ${counts.items} items created, ${counts.submitted} submitted, ${counts.files} files added; ${counts.judgements} judgements (${counts.noItemToJudge} visits found nothing to judge), ${counts.records} records, ${counts.feedback} feedback`);
    console.log('');
    console.log(`${'route'.padEnd(width)} ${'count'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const [route, list] of rows) console.log(line(route, list));
    console.log(line('all requests', rows.flatMap(([, list]) => list)));
    console.log('');
    console.log(`${recorder.total} requests in ${(wallMs / 1000).toFixed(1)} s wall time: ${(recorder.total / (wallMs / 1000)).toFixed(1)} requests/s`);
    console.log(`non-2xx answers: ${recorder.nonSuccess}; answers other than the route's success status: ${recorder.failures.length}`);
    console.log(`memory of this process (tool, emulator, clients) every 10 s, RSS/heap in MB: ${memory.map((m) => `${m.rss}/${m.heap}`).join(', ')}`);
    console.log(`load average (1, 5, 15 min) before ${loadBefore}, after ${loadAfter}, on ${availableParallelism()} CPUs (the bench client, the tool, the emulator and PostgreSQL share them)`);
    for (const failure of recorder.failures.slice(0, 10)) console.error(`  ${failure.key} answered ${failure.status}: ${failure.body}`);
    for (const reason of stopped.slice(0, 10)) console.error(`  stopped early: ${reason}`);
    if (stopped.length > 10) console.error(`  … and ${stopped.length - 10} more users stopped early`);
    return recorder.failures.length === 0 && stopped.length === 0;
  } finally {
    await lms.close();
    await tool.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  if (!serverUrl) {
    console.error('bench:morning runs on PostgreSQL only: set TEST_DATABASE_URL (with CREATE DATABASE rights) or DATABASE_URL, e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres.');
    process.exitCode = 2;
    return;
  }
  if (!Number.isInteger(ITERATIONS) || ITERATIONS < 1) throw new Error(`MORNING_ITERATIONS must be a whole number of at least 1, not ${process.env['MORNING_ITERATIONS']}`);
  const name = `attest_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const server = await openDatabase({ backend: 'postgres', url: url.toString(), maxConnections: POOL_SIZE });
    try {
      if (!(await run(server))) process.exitCode = 1;
    } finally {
      await server.close();
    }
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await main();
