import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface DemoArgs {
  readonly toolPort: number;
  readonly emulatorPort: number;
  /** The tool's PGlite directory; null keeps the tool's own default. */
  readonly dataDir: string | null;
  /** A new LMS course instead of the one saved at the last stop. */
  readonly fresh: boolean;
}

/**
 * The usage text lives in a plain file so `npm start -- --help` can print it from
 * scripts/run.mjs before anything is installed or built (that script cannot load TypeScript).
 */
export const demoUsage = readFileSync(new URL('../usage.txt', import.meta.url), 'utf8').trimEnd();

/** Whether the command line asks for the usage text, whatever else it holds. */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

function toPort(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--${flag} must be a port number from 0 to 65535, not "${raw}"`);
  return port;
}

/** Parses the demo's command line; throws with a message naming the flag when one is wrong. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'tool-port': { type: 'string' },
      'emulator-port': { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    toolPort: toPort('tool-port', values['tool-port'], 3000),
    emulatorPort: toPort('emulator-port', values['emulator-port'], 3100),
    dataDir: values['data-dir'] ?? null,
    fresh: values.fresh ?? false,
  };
}
