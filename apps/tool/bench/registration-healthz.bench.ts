// Whether Dynamic Registration stalls the tool: starts the tool as its own process (src/main.ts, on
// a throwaway embedded PGlite) and an emulated Moodle, runs 10
// dynamic registrations at once from the emulator over real HTTP while polling `GET /healthz`
// every 50 ms, and prints the worst and p95 /healthz latency with the machine's load average. Then
// the same on PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set (a throwaway database).
// Each registration makes the tool a 4096-bit RSA key pair for the platform; done on the event
// loop, every request waits behind it.
//
//   npx pnpm@10.34.9 --filter @attest/tool run bench:registration
//
// Not part of `test`: timings are reported, never asserted (target: worst under 100 ms).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { startPlatformEmulator } from '@attest/platform-emulator';
import { percentile } from './figures.ts';

const REGISTRATIONS = 10;
const POLL_EVERY_MS = 50;
const STARTUP_LIMIT_MS = 120_000;

const toolDir = join(dirname(fileURLToPath(import.meta.url)), '..');


/**
 * The poller, as plain JavaScript for a worker thread: one GET on a fresh connection at a time (a
 * kept-alive one may be closed by a stalled server as we reuse it), every `everyMs`, until told to stop.
 */
const POLLER_SOURCE = `
const { get } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
let isPolling = true;
parentPort.once('message', () => { isPolling = false; });
const getStatus = (url) => new Promise((resolve, reject) => {
  get(url, { agent: false }, (response) => { response.resume(); response.on('end', () => resolve(response.statusCode)); }).on('error', reject);
});
(async () => {
  const latencies = [];
  while (isPolling) {
    const started = performance.now();
    const status = await getStatus(workerData.url);
    if (status !== 200) throw new Error('/healthz answered ' + status);
    const ms = performance.now() - started;
    latencies.push(ms);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, workerData.everyMs - ms)));
  }
  parentPort.postMessage({ latencies });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

/** One GET on a fresh connection. */
function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Starts `tsx src/main.ts` on a free port and resolves with its URL once it says it listens. */
async function startTool(dataDir: string, databaseUrl: string | null): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: toolDir,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Empty: the embedded PGlite, which runs its queries on the tool's own event loop.
      DATABASE_URL: databaseUrl ?? '',
      PUBLIC_URL: '',
      LTI_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // Ten registrations from one address: the benchmark measures the event loop, not the rate limit.
      ATTEST_REGISTRATION_RATE_LIMIT: '1000',
      ATTEST_REGISTRATION_MAX_INACTIVE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the tool did not start within ${STARTUP_LIMIT_MS / 1000} s:\n${output}`)), STARTUP_LIMIT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/\S+) \(/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the tool exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function run(label: string, databaseUrl: string | null): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-registration-'));
  const tool = await startTool(dataDir, databaseUrl);
  const lms = await startPlatformEmulator({ mode: 'moodle' });
  try {
    // Warm up: the first request loads the UI-less routes and opens the database.
    for (let i = 0; i < 5; i++) await getStatus(`${tool.url}/healthz`);

    /**
     * Polls /healthz every POLL_EVERY_MS until `work` settles; resolves with the latencies, sorted.
     * The poller runs in a worker thread, so nothing this process does (the emulator signs and
     * answers the registrations) delays it: the latencies are the tool's.
     */
    const pollDuring = async <T>(work: Promise<T>): Promise<{ latencies: number[]; result: T }> => {
      const poller = new Worker(POLLER_SOURCE, { eval: true, workerData: { url: `${tool.url}/healthz`, everyMs: POLL_EVERY_MS } });
      const latencies = new Promise<number[]>((resolve, reject) => {
        poller.once('message', (message: { latencies?: number[]; error?: string }) => (message.error ? reject(new Error(message.error)) : resolve(message.latencies ?? [])));
        poller.once('error', reject);
      });
      const result = await work.finally(() => poller.postMessage('stop'));
      const measured = await latencies;
      await poller.terminate();
      return { latencies: measured.sort((a, b) => a - b), result };
    };

    // For scale, on this machine at this load: the same polling for 5 s with nothing else going on.
    const idle = await pollDuring(new Promise((resolve) => setTimeout(resolve, 5_000)));

    const started = performance.now();
    const { latencies, result: outcomes } = await pollDuring(Promise.allSettled(Array.from({ length: REGISTRATIONS }, () => lms.registerToolDynamically(`${tool.url}/lti/register`, { activate: false }))));
    const registrationMs = performance.now() - started;
    const load = loadavg();

    const failed = outcomes.filter((o) => o.status === 'rejected');
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `${label.padEnd(10)} ${REGISTRATIONS} parallel dynamic registrations (${REGISTRATIONS - failed.length} registered) in ${(registrationMs / 1000).toFixed(1)} s; ` +
        `${latencies.length} x GET /healthz every ${POLL_EVERY_MS} ms meanwhile: worst ${fmt(latencies.at(-1) ?? NaN)}, p95 ${fmt(percentile(latencies, 95))}, median ${fmt(percentile(latencies, 50))}; ` +
        `load average ${load.map((l) => l.toFixed(2)).join(' ')} (target: worst under 100 ms)`,
    );
    console.log(`${label.padEnd(10)} for scale, ${idle.latencies.length} x GET /healthz over 5 s with no registration: worst ${fmt(idle.latencies.at(-1) ?? NaN)}, p95 ${fmt(percentile(idle.latencies, 95))}, median ${fmt(percentile(idle.latencies, 50))}`);
    for (const failure of failed) console.log(`registration failed: ${String((failure as PromiseRejectedResult).reason).slice(0, 300)}`);
  } finally {
    await lms.close();
    await tool.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await run('PGlite', null);
  const serverUrl = process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'];
  if (!serverUrl) {
    console.log('PostgreSQL skipped: set TEST_DATABASE_URL (with CREATE DATABASE rights) or DATABASE_URL to measure on a server.');
    return;
  }
  // A throwaway database on that server, dropped afterwards.
  const name = `attest_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await run('PostgreSQL', url.toString());
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

await main();
