// Runs the emulator on its own: `tsx src/main.ts --mode moodle --port 3100`.
import { parseArgs } from 'node:util';
import { startPlatformEmulator } from './start-platform-emulator.ts';

const { values } = parseArgs({
  options: { mode: { type: 'string', default: 'moodle' }, port: { type: 'string', default: '3100' }, host: { type: 'string', default: '127.0.0.1' } },
  strict: true,
});
const mode = values.mode;
const port = Number(values.port);
if ((mode !== 'moodle' && mode !== 'canvas') || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: tsx src/main.ts [--mode moodle|canvas] [--port 3100] [--host 127.0.0.1]');
  process.exit(2);
}
const emulator = await startPlatformEmulator({ mode, port, host: values.host });
console.log(`${emulator.platformName} (${mode}) at ${emulator.url} — issuer ${emulator.issuer}; admin API at ${emulator.url}/emulator/api/info`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
