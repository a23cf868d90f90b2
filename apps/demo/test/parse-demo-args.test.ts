import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/parse-demo-args.ts';

describe('parseDemoArgs', () => {
  it('uses tool port 3000, emulator port 3100 and the tool data directory when given nothing', () => {
    expect(parseDemoArgs([])).toEqual({ toolPort: 3000, emulatorPort: 3100, dataDir: null, fresh: false });
  });

  it('takes both ports, a data directory and --fresh from flags', () => {
    expect(parseDemoArgs(['--tool-port', '0', '--emulator-port=4100', '--data-dir', '/tmp/x', '--fresh'])).toEqual({ toolPort: 0, emulatorPort: 4100, dataDir: '/tmp/x', fresh: true });
  });

  it('names the flag when a port is not a port', () => {
    expect(() => parseDemoArgs(['--tool-port', '65536'])).toThrow(/--tool-port/);
    expect(() => parseDemoArgs(['--emulator-port', 'abc'])).toThrow(/--emulator-port/);
  });

  it('refuses a flag it does not know, instead of ignoring a typo', () => {
    expect(() => parseDemoArgs(['--tool-prot', '3000'])).toThrow();
  });
});
