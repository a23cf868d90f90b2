// How fast an assessor's caseload opens for a course of 200 learners: seeds the roster's mix of
// test/support/seed-course-caseload.ts (a fifth never launched, the rest three items each mapped to
// three statements, two submitted; a quarter with the assessor's judgements, a signed observation
// and the report) through the same use cases as the API, launches the course's instructor from an emulated Moodle, then times sequential
// `GET /api/assessor/caseload` over real HTTP (after warm-up requests) and prints median, p95 and
// the machine's load average, which these figures move with.
//
//   npx pnpm@10.34.9 --filter @attest/tool run bench:caseload
//
// Runs on in-memory PGlite, and also on PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set
// (a throwaway database is created and dropped there). Not part of `test`: timings are reported,
// never asserted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPlatformEmulator } from '@attest/platform-emulator';
import { AssessorCaseloadSchema } from '@attest/contracts';
import { openDatabase } from '../src/db/index.ts';
import type { DatabaseConnection } from '../src/db/index.ts';
import { startToolServer } from '../src/index.ts';
import { BrowserlessAgent } from '../test/lti/browserless-agent.ts';
import { seedCourseCaseload } from '../test/support/seed-course-caseload.ts';
import { percentile, loadAverage } from './figures.ts';

const LEARNERS = 200;
const REQUESTS = 30;
const WARM_UP = 3;


const load = loadAverage;

async function run(label: string, connection: DatabaseConnection): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const tool = await startToolServer({ connection, env: { host: '127.0.0.1', port: 0, publicUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), nodeEnv: 'test', logLevel: 'warn' }, log: () => {} });
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  try {
    const [entry] = [...(await tool.catalogue.list())].sort((a, b) => b.statementCount - a.statementCount);
    if (!entry) throw new Error('the standards catalogue is empty');
    const unit = await tool.catalogue.findUnit(entry.id);
    if (!unit) throw new Error(`unit ${entry.id} vanished`);

    const registration = lms.registerTool({ loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch` });
    await tool.lti.platforms.register({ issuer: lms.issuer, clientId: registration.clientId, name: lms.platformName, authenticationEndpoint: lms.authorizationUrl, accessTokenEndpoint: lms.tokenUrl, jwksUrl: lms.jwksUrl, deploymentIds: [registration.deploymentId] });
    const course = lms.createCourse({ title: 'Benchmark course' });
    const assessor = lms.createUser({ name: 'Ada Assessor' });
    lms.enrol(course.id, assessor.id, 'instructor');
    const learners = Array.from({ length: LEARNERS }, (_, i) => lms.createUser({ name: `Learner ${String(i + 1).padStart(3, '0')}` }));
    for (const learner of learners) lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id }, lineItem: { scoreMaximum: 100, label: unit.title, resourceId: unit.id, tag: 'attest-unit' } });

    const seedStarted = performance.now();
    const courseKey = { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, contextId: course.id };
    const items = await seedCourseCaseload(tool, { course: courseKey, unit, learnerUserIds: learners.map((l) => l.id), assessor: { userId: assessor.id, userName: assessor.name } });
    const seedMs = performance.now() - seedStarted;

    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: assessor.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik');
    if (!ltik) throw new Error(`the launch ended at ${end.url} without an ltik`);

    const get = async (path = '/api/assessor/caseload') => {
      const started = performance.now();
      const response = await fetch(`${tool.url}${path}`, { headers: { authorization: `Bearer ${ltik}` } });
      const body = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
      return { ms, body };
    };
    const first = await get();
    const caseload = AssessorCaseloadSchema.parse(JSON.parse(first.body));
    if (caseload.learners.length !== LEARNERS) throw new Error(`expected ${LEARNERS} learners, got ${caseload.learners.length}`);
    for (let i = 1; i < WARM_UP; i++) await get();
    const loadBefore = load();
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await get()).ms);
    times.sort((a, b) => a - b);
    const baseline: number[] = [];
    for (let i = 0; i < REQUESTS; i++) baseline.push((await get('/api/session')).ms);
    baseline.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `${label.padEnd(10)} unit ${unit.id}, ${LEARNERS} learners, ${items} items, queue ${caseload.queue.length}, reply ${(first.body.length / 1024).toFixed(0)} KiB; ` +
        `seeded in ${(seedMs / 1000).toFixed(1)} s; ${REQUESTS} x GET /api/assessor/caseload: median ${fmt(percentile(times, 50))}, p95 ${fmt(percentile(times, 95))}, max ${fmt(times.at(-1) ?? NaN)} ` +
        `(GET /api/session for scale: median ${fmt(percentile(baseline, 50))}); load average before ${loadBefore}, after ${load()} on ${availableParallelism()} cores`,
    );
  } finally {
    await lms.close();
    await tool.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pglite = await openDatabase({ backend: 'pglite' });
  try {
    await run('PGlite', pglite);
  } finally {
    await pglite.close();
  }
  const serverUrl = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  if (!serverUrl) {
    console.log('PostgreSQL skipped: set TEST_DATABASE_URL (with CREATE DATABASE rights) or DATABASE_URL to measure on a server.');
    return;
  }
  const name = `attest_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = await openDatabase({ backend: 'postgres', url: url.toString() });
  try {
    await run('PostgreSQL', server);
  } finally {
    await server.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await main();
