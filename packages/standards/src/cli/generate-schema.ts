import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJsonSchemas } from '../json-schemas.ts';
import { DEFAULT_STANDARDS_DIR } from '../loader/index.ts';

const dir = join(process.argv[2] ?? DEFAULT_STANDARDS_DIR, 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(buildJsonSchemas())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote ${join(dir, name)}`);
}
