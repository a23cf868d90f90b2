import { parseArgs } from 'node:util';

export interface DemoArgs {
  readonly toolPort: number;
  readonly emulatorPort: number;
  /** The tool's PGlite directory; null keeps the tool's own default. */
  readonly dataDir: string | null;
}

export const demoUsage = `usage: npm start -- [--tool-port 3000] [--emulator-port 3100] [--data-dir <dir>]
  --tool-port      where the tool listens, on localhost (default 3000; 0 picks a free port)
  --emulator-port  where the LMS emulator listens, on 127.0.0.1 (default 3100; 0 picks a free port)
  --data-dir       the tool's embedded PostgreSQL (PGlite) directory (default: the tool's own)`;

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
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    toolPort: toPort('tool-port', values['tool-port'], 3000),
    emulatorPort: toPort('emulator-port', values['emulator-port'], 3100),
    dataDir: values['data-dir'] ?? null,
  };
}
