// `npm start`: the tool, the LMS emulator and a seeded course, wired together. See start-demo.ts.
import { StartupError } from '@attest/tool';
import { demoUsage, parseDemoArgs, type DemoArgs } from './parse-demo-args.ts';
import { formatDemoUrls, startDemo, type Demo } from './start-demo.ts';

let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2).filter((arg) => arg !== '--'));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${demoUsage}`);
  process.exit(2);
}

let demo: Demo;
try {
  demo = await startDemo({ ...args, log: (line) => console.log(`[demo] ${line}`) });
} catch (error) {
  console.error(`[demo] could not start: ${(error as Error).message}`);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`[demo] a port is in use: pass --tool-port / --emulator-port with free ones.`);
  process.exit(error instanceof StartupError ? error.exitCode : 1);
}
console.log(formatDemoUrls(demo));

let isStopping = false;
async function stop(signal: string): Promise<void> {
  // A second Ctrl-C while closing means "now".
  if (isStopping) process.exit(130);
  isStopping = true;
  console.log(`\n[demo] ${signal}: stopping the tool and the emulator…`);
  await demo.close();
  console.log('[demo] stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
