import { DEFAULT_STANDARDS_DIR, findStaleSchemas, formatFinding, inspectCatalogue } from '../loader/index.ts';

// Usage: check [standards-dir]. Exits 1 when any error is found; source errata are warnings.
const dir = process.argv[2] ?? DEFAULT_STANDARDS_DIR;
const { qualifications, units, findings } = inspectCatalogue(dir);
const all = [...findings, ...findStaleSchemas(dir)];
for (const f of all) console.error(formatFinding(f));
const errors = all.filter((f) => f.severity === 'error').length;
const warnings = all.length - errors;
const statements = units.reduce((n, u) => n + u.groups.reduce((m, g) => m + g.statements.length, 0), 0);
console.log(`standards: ${qualifications.length} qualifications, ${units.length} units, ${statements} statements; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
process.exitCode = errors > 0 ? 1 : 0;
