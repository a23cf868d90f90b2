// The tool's process: `node dist/main.js` in production (`run build` first), `tsx src/main.ts` in
// development. Reads the environment, starts the server, and turns a start-up failure into one
// log line and an exit code instead of a stack trace. Everything is logged as JSON (decision 17).
import { pino } from 'pino';
import { EXIT_SOFTWARE, StartupError, createLogger, startToolServer } from './index.ts';

try {
  const server = await startToolServer();
  const { logger } = server;
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, `${signal}: stopping…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: (error as Error).message }, `Attest did not stop cleanly: ${(error as Error).message}`);
        process.exit(EXIT_SOFTWARE);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Only after the handlers: whoever waits for this line may signal us the moment it appears.
  logger.info({ url: server.url }, `Attest tool listening at ${server.url} (UI ${server.url}/app/, health ${server.url}/healthz, readiness ${server.url}/readyz)`);
} catch (error) {
  // The configuration (LOG_LEVEL included) may be what failed: a logger of our own, on stderr.
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: 2, sync: true }) });
  if (error instanceof StartupError) {
    logger.fatal({ exitCode: error.exitCode }, `Attest could not start.\n${error.message}`);
    process.exit(error.exitCode);
  }
  logger.fatal({ err: error }, 'Attest could not start: an unexpected error');
  process.exit(EXIT_SOFTWARE);
}
