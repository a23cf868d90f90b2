#!/usr/bin/env node
// The README's two commands (`npm start`, `npm test`) must work on a fresh machine that has only
// Node and npm. We use pnpm (strict node_modules catches undeclared cross-package imports; its
// lockfile installs turbo here, where npm's lockfile trips over turbo's missing platform binaries),
// fetched through npx at the exact version pinned in package.json, so nothing has to be
// installed globally. Dependencies are (re)installed only when the lockfile changed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

const [command, ...rest] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/run.mjs <install|demo|test|pnpm …|turbo …>');
  process.exit(2);
}
ensureInstalled();
switch (command) {
  case 'install':
    process.exit(0);
  case 'demo':
    process.exit(pnpm(['exec', 'turbo', 'run', 'build', '--filter=@attest/demo...', '--output-logs=errors-only']) || pnpm(['--filter', '@attest/demo', 'run', 'start', ...rest]));
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
