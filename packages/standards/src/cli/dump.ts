import { CatalogueError, DEFAULT_STANDARDS_DIR, formatFinding, loadCatalogue } from '../loader/index.ts';
import { dumpCatalogue } from '../dump-catalogue.ts';

// Usage: dump [standards-dir]. Prints the catalogue as JSON on stdout; problems go to stderr.
// A reader that stops early (`| head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
try {
  const catalogue = loadCatalogue(process.argv[2] ?? DEFAULT_STANDARDS_DIR);
  process.stdout.write(`${JSON.stringify(dumpCatalogue(catalogue), null, 2)}\n`);
} catch (error) {
  if (!(error instanceof CatalogueError)) throw error;
  for (const f of error.findings.filter((x) => x.severity === 'error')) console.error(formatFinding(f));
  process.exitCode = 1;
}
