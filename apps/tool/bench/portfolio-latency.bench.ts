// How fast a learner's portfolio opens when it holds 200 evidence items: seeds 200 items (each
// mapped to three statements, a third of them submitted) for one learner through the same use
// cases as the API, launches that learner from an emulated Moodle, then times 200 sequential
// `GET /api/portfolio` over real HTTP (after 20 warm-up requests) and prints median and p95.
//
//   npx pnpm@10.34.9 --filter @attest/tool run bench
//
// Runs on in-memory PGlite, and also on PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set
// (a throwaway database is created and dropped there). Not part of `test`: timings are reported,
// never asserted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { EvidenceDraft, EvidenceMappingTarget } from '@attest/contracts';
import { PortfolioSchema } from '@attest/contracts';
import { buildUnitIndex } from '@attest/standards';
import { openDatabase } from '../src/db/index.ts';
import type { DatabaseConnection } from '../src/db/index.ts';
import { seedLearnerEvidence, startToolServer } from '../src/index.ts';
import { BrowserlessAgent } from '../test/lti/browserless-agent.ts';
import { percentile } from './figures.ts';

const ITEMS = 200;
const REQUESTS = 200;
const WARM_UP = 20;


async function run(label: string, connection: DatabaseConnection): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const tool = await startToolServer({ connection, env: { host: '127.0.0.1', port: 0, publicUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), nodeEnv: 'test', logLevel: 'warn' }, log: () => {} });
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  try {
    const [entry] = [...(await tool.catalogue.list())].sort((a, b) => b.statementCount - a.statementCount);
    if (!entry) throw new Error('the standards catalogue is empty');
    const unit = await tool.catalogue.findUnit(entry.id);
    if (!unit) throw new Error(`unit ${entry.id} vanished`);
    const keys = buildUnitIndex(unit).statements.map((s) => s.key);

    const registration = lms.registerTool({ loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch` });
    await tool.lti.platforms.register({ issuer: lms.issuer, clientId: registration.clientId, name: lms.platformName, authenticationEndpoint: lms.authorizationUrl, accessTokenEndpoint: lms.tokenUrl, jwksUrl: lms.jwksUrl, deploymentIds: [registration.deploymentId] });
    const course = lms.createCourse({ title: 'Benchmark course' });
    const learner = lms.createUser({ name: 'Bea Bench' });
    lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: unit.title, custom: { attest_unit: unit.id } });

    const seedStarted = performance.now();
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const draft: EvidenceDraft = {
        title: `Evidence ${i + 1}`,
        description: 'A reflective account of serving a customer at the returns desk. '.repeat(8),
        evidenceType: i % 5 === 0 ? 'witness-statement' : 'personal-statement',
        activityDate: `2026-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        customerRef: `Customer ${i % 17}`,
        occasionRef: `Occasion ${i % 23}`,
        workSetting: 'real-job',
      };
      const mappings: EvidenceMappingTarget[] = [0, 1, 2].map((k) => ({ unitId: unit.id, target: 'statement', ref: keys[(i + k * 7) % keys.length] ?? '' }));
      return { draft, mappings, submit: i % 3 === 0 };
    });
    const scope = { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, contextId: course.id, learnerUserId: learner.id };
    await seedLearnerEvidence(tool, { learner: scope, items });
    const seedMs = performance.now() - seedStarted;

    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik');
    if (!ltik) throw new Error(`the launch ended at ${end.url} without an ltik`);

    const get = async (path = '/api/portfolio') => {
      const started = performance.now();
      const response = await fetch(`${tool.url}${path}`, { headers: { authorization: `Bearer ${ltik}` } });
      const body = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
      return { ms, body };
    };
    const first = await get();
    const portfolio = PortfolioSchema.parse(JSON.parse(first.body));
    if (portfolio.items.length !== ITEMS) throw new Error(`expected ${ITEMS} items, got ${portfolio.items.length}`);
    for (let i = 1; i < WARM_UP; i++) await get();
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await get()).ms);
    times.sort((a, b) => a - b);
    // The same number of GET /api/session: what any API call costs (launch token check, HTTP), for scale.
    const baseline: number[] = [];
    for (let i = 0; i < REQUESTS; i++) baseline.push((await get('/api/session')).ms);
    baseline.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `${label.padEnd(10)} unit ${unit.id} (${keys.length} statements), ${ITEMS} items x 3 mappings, reply ${(first.body.length / 1024).toFixed(0)} KiB; ` +
        `seeded in ${(seedMs / 1000).toFixed(1)} s; ${REQUESTS} x GET /api/portfolio: median ${fmt(percentile(times, 50))}, p95 ${fmt(percentile(times, 95))}, max ${fmt(times.at(-1) ?? NaN)} ` +
        `(GET /api/session for scale: median ${fmt(percentile(baseline, 50))}, p95 ${fmt(percentile(baseline, 95))})`,
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
