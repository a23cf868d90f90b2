#!/usr/bin/env node
// The README's two commands (`npm start`, `npm test`) must work on a fresh machine that has only
// Node and npm. We use pnpm (strict node_modules catches undeclared cross-package imports; its
// lockfile installs turbo here, where npm's lockfile trips over turbo's missing platform binaries),
// fetched through npx at the exact version pinned in package.json, so nothing has to be
// installed globally. Dependencies are (re)installed only when the lockfile changed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function run(cmd, args, extraEnv = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpm(args) {
  return run('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args]);
}

/**
 * The folder holding the `pnpm` that an earlier `npx pnpm@<version>` fetched, or null. Loading npm
 * to run npx costs ~3 s of CPU (10 s on a busy two-core machine) before pnpm even starts, which
 * was most of a warm `npm start`; with pnpm found here, turbo runs directly (it needs `pnpm` on
 * PATH only to know the package manager). npm tells scripts its cache folder in npm_config_cache.
 */
function cachedPnpmBin() {
  const npxDir = join(process.env.npm_config_cache ?? join(homedir(), '.npm'), '_npx');
  let entries = [];
  try {
    entries = readdirSync(npxDir);
  } catch {
    return null;
  }
  for (const entry of entries) {
    const modules = join(npxDir, entry, 'node_modules');
    try {
      const { version } = JSON.parse(readFileSync(join(modules, 'pnpm', 'package.json'), 'utf8'));
      if (version === pnpmVersion && existsSync(join(modules, '.bin', 'pnpm'))) return join(modules, '.bin');
    } catch {
      // Not a pnpm folder, or half written: look at the next.
    }
  }
  return null;
}

/** `turbo …` from the repository's own install, without npx when pnpm is already fetched. */
function turbo(args) {
  const bin = cachedPnpmBin();
  const turboBin = join(root, 'node_modules', '.bin', 'turbo');
  if (bin === null || !existsSync(turboBin)) return pnpm(['exec', 'turbo', ...args]);
  return run(turboBin, args, { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` });
}

function ensureInstalled() {
  const lock = join(root, 'pnpm-lock.yaml');
  const stampFile = join(root, 'node_modules', '.install-stamp');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return;
  const status = pnpm(['install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
  writeFileSync(stampFile, hash);
}

/**
 * Runs turbo, passing its output through, and ends with one line that totals every package's
 * Vitest summary (`Tests  2 failed | 40 passed (42)`), so CI logs say how many tests ran.
 */
function runTestsWithSummary(args) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let passed = 0;
    let failed = 0;
    let pending = '';
    const tally = (line) => {
      const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
      const summary = /\bTests\s+(.*)\(\d+\)\s*$/.exec(plain);
      if (!summary) return;
      passed += Number(/(\d+) passed/.exec(summary[1])?.[1] ?? 0);
      failed += Number(/(\d+) failed/.exec(summary[1])?.[1] ?? 0);
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(tally);
    });
    child.on('close', (code) => {
      tally(pending);
      console.log(`\ntests: ${passed} passed, ${failed} failed`);
      resolve(code ?? 1);
    });
  });
}

/** Seconds since `since`, for the start-up lines that say where the time goes. */
function secondsSince(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Runs the demo's entry point with tsx's loader in a plain `node` (no pnpm or tsx parent process
 * in between, so nothing reports Ctrl-C as a failure) and ends with the demo's own exit code.
 */
function runDemo(args) {
  const demoDir = join(root, 'apps', 'demo');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: demoDir, stdio: 'inherit' });
  // Ctrl-C reaches the demo from the terminal (same process group) and from npm, which forwards it
  // here; the demo treats the burst as one request, closes its servers and exits 0. We only pass
  // signals on and wait, so this script never dies before the demo has stopped.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

const [command, ...rest] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/run.mjs <install|demo|test|pnpm …|turbo …>');
  process.exit(2);
}
// Help must not cost an install and a build.
if (command === 'demo' && rest.some((arg) => arg === '--help' || arg === '-h')) {
  process.stdout.write(readFileSync(join(root, 'apps', 'demo', 'usage.txt'), 'utf8'));
  process.exit(0);
}
const startedAt = performance.now();
ensureInstalled();
switch (command) {
  case 'install':
    process.exit(0);
  case 'demo': {
    console.log(`[start] dependencies installed (${secondsSince(startedAt)}); building the UI and packages…`);
    const buildStartedAt = performance.now();
    const status = turbo(['run', 'build', '--filter=@attest/demo...', '--output-logs=errors-only']);
    if (status !== 0) process.exit(status);
    console.log(`[start] built (${secondsSince(buildStartedAt)}); starting the demo…`);
    runDemo(rest.filter((arg) => arg !== '--'));
    break;
  }
  case 'test':
    // One package at a time: the integration suites each start PostgreSQL clusters, PGlite
    // instances and Chromium, and these machines have two cores.
    process.exit(await runTestsWithSummary(['exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--concurrency=1', ...rest]));
  case 'pnpm':
    process.exit(pnpm(rest));
  case 'turbo':
    process.exit(pnpm(['exec', 'turbo', ...rest]));
  default:
    console.error(`unknown command: ${command}`);
    process.exit(2);
}
