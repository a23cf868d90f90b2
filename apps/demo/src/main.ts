// `npm start`: the tool, the LMS emulator and a seeded course, wired together. See start-demo.ts.
import { StartupError } from '@attest/tool';
import { asksForHelp, demoUsage, parseDemoArgs, type DemoArgs } from './parse-demo-args.ts';
import { formatDemoUrls, startDemo, type Demo } from './start-demo.ts';

// Imports are evaluated before this line: how long node took to load the demo, the tool and their
// libraries through tsx (seconds on a busy machine), which no start-up step below would show.
const loadedAfterSeconds = process.uptime();
const argv = process.argv.slice(2).filter((arg) => arg !== '--');
if (asksForHelp(argv)) {
  console.log(demoUsage);
  process.exit(0);
}
let args: DemoArgs;
try {
  args = parseDemoArgs(argv);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${demoUsage}`);
  process.exit(2);
}

// Ctrl-C in a terminal signals the whole foreground process group, and `npm start` and
// scripts/run.mjs forward it to us as well, so one key press arrives as two or three SIGINTs
// within milliseconds. Only a signal well after the first means "stop now, don't wait".
const repeatedSignalMeansNowAfterMs = 1_000;
let stoppingSince: number | null = null;
let starting: Promise<Demo | null> = Promise.resolve(null);
async function stop(signal: string): Promise<void> {
  if (stoppingSince !== null) {
    if (Date.now() - stoppingSince > repeatedSignalMeansNowAfterMs) process.exit(130);
    return;
  }
  stoppingSince = Date.now();
  console.log(`\n[demo] ${signal}: stopping the tool and the emulator…`);
  // A signal while starting waits for the start to finish (or fail), so nothing is left half-open
  // in the tool's embedded database.
  const started = await starting;
  await started?.close();
  console.log('[demo] stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGHUP', () => void stop('SIGHUP'));

console.log(`[demo] code loaded (${loadedAfterSeconds.toFixed(1)} s)`);
starting = startDemo({ ...args, log: (line) => console.log(`[demo] ${line}`) }).catch((error: unknown) => {
  if (stoppingSince !== null) return null;
  console.error(`[demo] could not start: ${(error as Error).message}`);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`[demo] a port is in use: pass --tool-port / --emulator-port with free ones (npm start -- --help).`);
  process.exit(error instanceof StartupError ? error.exitCode : 1);
});
const demo = await starting;
if (demo && stoppingSince === null) console.log(formatDemoUrls(demo));
