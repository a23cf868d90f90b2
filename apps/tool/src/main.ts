// `npm start` for the tool alone (tsx src/main.ts). Reads the environment, starts the server, and
// turns a start-up failure into a message and an exit code instead of a stack trace.
import { EXIT_SOFTWARE, StartupError, startToolServer } from './index.ts';

try {
  const server = await startToolServer();
  let isStopping = false;
  const stop = (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`${signal}: stopping…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Attest did not stop cleanly: ${(error as Error).message}`);
        process.exit(EXIT_SOFTWARE);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Only after the handlers: whoever waits for this line may signal us the moment it appears.
  console.log(`Attest tool listening at ${server.url} (UI ${server.url}/app/, health ${server.url}/healthz)`);
} catch (error) {
  if (error instanceof StartupError) {
    console.error(`Attest could not start.\n${error.message}`);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(EXIT_SOFTWARE);
}
