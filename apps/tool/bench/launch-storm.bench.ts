// The launch storm of a term's first morning, Attest beside a bare ltijs app (issue 15 item 4), and
// the tool's memory over 10,000 launches.
//
// Each simulated learner is a fresh browser (a cookie jar, no cache) that opens the activity in an
// emulated Moodle: OIDC login at the tool, the platform's authorisation, the launch POST, the redirect
// to /app/ with the ltik, then `GET /api/session` with it. Attest and the bare ltijs app
// (launch-storm/serve.ts) each run in a process of their own on one throwaway PostgreSQL database,
// with the same storage plugin; the emulator and the browsers run here. Per concurrency (1, 10 and
// 50 learners at once) the two apps take turns, round after round, so a change in the machine's
// load falls on both; the figure is Attest's throughput and p95 as a ratio of bare ltijs's.
// Alongside: the SQL statements each app sends per launch, counted on its own pg clients.
//
// Then the memory figure: 10,000 more launches of Attest at 10 at a time, its RSS and heap after a
// full GC every 1,000, which should level off, not climb.
//
//   TEST_DATABASE_URL=postgres://… npx pnpm@10.34.9 --filter @attest/tool run bench:launch-storm
//   (STORM_MEMORY_LAUNCHES=0 skips the memory phase; STORM_ROUNDS sets the rounds per app, default 4;
//   STORM_CPU_PROFILE_DIR=dir writes each server's V8 CPU profile there, to see where a launch goes)
//
// PostgreSQL only (a server is what a storm meets). Not part of `test`: figures are printed, never asserted.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { BrowserlessAgent } from '../test/lti/browserless-agent.ts';
import { freePort } from '../test/support/free-port.ts';
import type { StormMessage, StormPlatform } from './launch-storm/serve.ts';
import { percentile, loadAverage } from './figures.ts';

const CONCURRENCY = (process.env['STORM_CONCURRENCY'] ?? '1,10,50').split(',').map(Number) as (1 | 10 | 50)[];
/** Launches per round at each concurrency: enough that a round lasts seconds, not milliseconds. */
const LAUNCHES_PER_ROUND: Record<(typeof CONCURRENCY)[number], number> = { 1: 60, 10: 200, 50: 300 };
const ROUNDS = Number(process.env['STORM_ROUNDS'] ?? 4);
const MEMORY_LAUNCHES = Number(process.env['STORM_MEMORY_LAUNCHES'] ?? 10_000);
const LEARNERS = 500;

type AppName = 'attest' | 'ltijs';

interface ServerUnderTest {
  readonly name: AppName;
  readonly url: string;
  readonly linkId: string;
  readonly child: ChildProcess;
}


const load = loadAverage;


function nextMessage<K extends 'ready' | 'stats'>(child: ChildProcess, key: K): Promise<Extract<StormMessage, Record<K, unknown>>[K]> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: StormMessage) => {
      if (key in message) {
        cleanup();
        resolve((message as Record<K, unknown>)[key] as Extract<StormMessage, Record<K, unknown>>[K]);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the server under test exited with ${code} before answering ${key}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startServer(name: AppName, lms: PlatformEmulator, databaseUrl: string, courseId: string): Promise<ServerUnderTest> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const registration = lms.registerTool({ loginUrl: `${url}/lti/login`, redirectUris: [`${url}/lti/launch`], jwksUrl: `${url}/lti/keys`, targetLinkUri: `${url}/lti/launch` });
  const platform: StormPlatform = {
    issuer: lms.issuer,
    clientId: registration.clientId,
    deploymentId: registration.deploymentId,
    name: lms.platformName,
    authenticationEndpoint: lms.authorizationUrl,
    accessTokenEndpoint: lms.tokenUrl,
    jwksUrl: lms.jwksUrl,
  };
  const child = fork(fileURLToPath(new URL('./launch-storm/serve.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env['STORM_CPU_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['STORM_CPU_PROFILE_DIR']}/${name}`] : [])],
    env: { ...process.env, STORM_APP: name, STORM_PORT: String(port), STORM_DATABASE_URL: databaseUrl, STORM_PLATFORM: JSON.stringify(platform), NODE_ENV: 'production', LTI_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
    // Attest's request log (one JSON line per request at its production level, info) is written
    // and discarded, as a log shipper would take it; errors still show.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await nextMessage(child, 'ready');
  const link = lms.placeResourceLink({ courseId, clientId: registration.clientId, title: 'Resolve customer service problems', custom: { attest_unit: '201' } });
  return { name, url, linkId: link.id, child };
}

/** One learner's launch, start to `GET /api/session` answered; its milliseconds. */
async function launchOnce(lms: PlatformEmulator, server: ServerUnderTest, courseId: string, userId: string): Promise<number> {
  const started = performance.now();
  const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId, userId, resourceLinkId: server.linkId }), (url) => url.startsWith(`${server.url}/app/`));
  const ltik = new URL(end.url).searchParams.get('ltik');
  if (!ltik) throw new Error(`${server.name}: the launch ended at ${end.url} (${end.response.status}) without an ltik: ${end.body.slice(0, 300)}`);
  const response = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${server.name}: GET /api/session answered ${response.status}: ${body.slice(0, 300)}`);
  return performance.now() - started;
}

/** `launches` launches, `concurrency` at a time; per-launch times and the round's wall time. */
async function round(lms: PlatformEmulator, server: ServerUnderTest, courseId: string, learners: readonly string[], concurrency: number, launches: number, firstLearner: number) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < launches) {
        const index = next++;
        times.push(await launchOnce(lms, server, courseId, learners[(firstLearner + index) % learners.length] ?? ''));
      }
    }),
  );
  return { times, wallMs: performance.now() - started };
}

/** What the server's process reports: statements sent so far, RSS and heap after a full GC. */
async function statsOf(server: ServerUnderTest) {
  const reply = nextMessage(server.child, 'stats');
  server.child.send('stats');
  return reply;
}

async function main(): Promise<void> {
  const serverUrl = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  if (!serverUrl) {
    console.log('launch storm: set TEST_DATABASE_URL (with CREATE DATABASE rights) or DATABASE_URL; it runs on PostgreSQL only.');
    process.exitCode = 2;
    return;
  }
  const database = `attest_storm_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${database}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  const servers: ServerUnderTest[] = [];
  try {
    const course = lms.createCourse({ title: 'Launch storm' });
    const learners = Array.from({ length: LEARNERS }, (_, i) => {
      const learner = lms.createUser({ name: `Learner ${String(i + 1).padStart(3, '0')}` });
      lms.enrol(course.id, learner.id, 'learner');
      return learner.id;
    });
    // Attest first: it creates the schema the bare app's storage plugin then shares.
    const attest = await startServer('attest', lms, url.toString(), course.id);
    servers.push(attest);
    const ltijs = await startServer('ltijs', lms, url.toString(), course.id);
    servers.push(ltijs);
    console.log(`launch storm on PostgreSQL, ${availableParallelism()} cores; Attest (LOG_LEVEL ${process.env['LOG_LEVEL'] === 'warn' ? 'warn' : 'info'}) and bare ltijs 5.9.9 each in its own process; ${ROUNDS} rounds each per concurrency, alternated`);

    let learnerCursor = 0;
    for (const concurrency of CONCURRENCY) {
      const launches = LAUNCHES_PER_ROUND[concurrency];
      const results: Record<AppName, { times: number[]; wallMs: number; launches: number; statements: number; cpuMs: number }> = {
        attest: { times: [], wallMs: 0, launches: 0, statements: 0, cpuMs: 0 },
        ltijs: { times: [], wallMs: 0, launches: 0, statements: 0, cpuMs: 0 },
      };
      const loadBefore = load();
      // A warm-up round each, not counted: JIT, pools and caches.
      for (const server of servers) await round(lms, server, course.id, learners, concurrency, Math.min(launches, 50), learnerCursor);
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const before = await statsOf(server);
          const outcome = await round(lms, server, course.id, learners, concurrency, launches, learnerCursor);
          learnerCursor += launches;
          const after = await statsOf(server);
          const result = results[server.name];
          result.times.push(...outcome.times);
          result.wallMs += outcome.wallMs;
          result.launches += launches;
          result.statements += after.statements - before.statements;
          result.cpuMs += after.cpuMs - before.cpuMs;
        }
      }
      const summary = (name: AppName) => {
        const result = results[name];
        const sorted = [...result.times].sort((a, b) => a - b);
        return { perSecond: (result.launches * 1000) / result.wallMs, p50: percentile(sorted, 50), p95: percentile(sorted, 95), statementsPerLaunch: result.statements / result.launches, cpuMsPerLaunch: result.cpuMs / result.launches };
      };
      const a = summary('attest');
      const b = summary('ltijs');
      const row = (name: string, s: ReturnType<typeof summary>) =>
        `  ${name.padEnd(11)} ${s.perSecond.toFixed(1).padStart(7)} launches/s   p50 ${s.p50.toFixed(1).padStart(6)} ms   p95 ${s.p95.toFixed(1).padStart(6)} ms   ${s.statementsPerLaunch.toFixed(1)} SQL statements and ${s.cpuMsPerLaunch.toFixed(1)} ms of the server's CPU per launch`;
      console.log(`\n${concurrency} at a time (${ROUNDS} x ${launches} launches each; load average before ${loadBefore}, after ${load()}):`);
      console.log(row('Attest', a));
      console.log(row('bare ltijs', b));
      console.log(`  ratio       throughput ${(a.perSecond / b.perSecond).toFixed(2)}x bare ltijs (target >= 0.90)   p95 ${(a.p95 / b.p95).toFixed(2)}x (target <= 1.10)`);
    }

    if (MEMORY_LAUNCHES > 0) {
      console.log(`\nAttest's memory over ${MEMORY_LAUNCHES.toLocaleString('en-GB')} launches, 10 at a time (after a full GC):`);
      const rss = () => statsOf(attest);
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      const first = await rss();
      console.log(`  ${'0'.padStart(6)} launches: RSS ${mb(first.rss)}, heap ${mb(first.heapUsed)}`);
      const step = 1000;
      for (let done = 0; done < MEMORY_LAUNCHES; done += step) {
        await round(lms, attest, course.id, learners, 10, Math.min(step, MEMORY_LAUNCHES - done), learnerCursor);
        learnerCursor += step;
        const usage = await rss();
        console.log(`  ${String(done + Math.min(step, MEMORY_LAUNCHES - done)).padStart(6)} launches: RSS ${mb(usage.rss)}, heap ${mb(usage.heapUsed)}`);
      }
    }
  } finally {
    for (const server of servers) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.send('stop');
      await exited;
    }
    await lms.close();
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
  }
}

await main();
