// `run build`: the production bundle, dist/main.js, that `run start:prod` (`node dist/main.js`)
// runs on Node 22 LTS without tsx. esbuild bundles our TypeScript and the workspace packages (whose
// exports are .ts sources); every dependency apps/tool declares stays in node_modules and is
// imported from there, so ltijs, pg, pg-boss and PGlite load as they were published.
//
// Files find their data relative to their own source (`new URL('../../drizzle', import.meta.url)`
// for the migrations, the standards folder, the UI's dist): in the bundle each `import.meta.url`
// becomes its source file's URL, written relative to dist/, so those paths hold wherever the
// checkout is, as long as dist/ stays beside src/.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const toolDir = dirname(fileURLToPath(import.meta.url));
const outdir = join(toolDir, 'dist');
const manifest = JSON.parse(readFileSync(join(toolDir, 'package.json'), 'utf8'));
const declared = new Set(Object.keys(manifest.dependencies ?? {}));

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageNameOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const toolLayout = {
  name: 'attest-tool-layout',
  setup(bundle) {
    // Declared dependencies stay imports; the workspace packages, and what only they use, are bundled.
    bundle.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageNameOf(args.path);
      if (name.startsWith('@attest/')) return undefined;
      if (declared.has(name)) return { path: args.path, external: true };
      return undefined;
    });
    bundle.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const fromDist = relative(outdir, args.path).split(sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

const result = await build({
  entryPoints: [join(toolDir, 'src/main.ts')],
  outfile: join(outdir, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  sourcemap: true,
  // A CommonJS file bundled from a workspace package's dependency may still call require().
  banner: { js: "import { createRequire as __attestCreateRequire } from 'node:module'; const require = __attestCreateRequire(import.meta.url);" },
  plugins: [toolLayout],
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`apps/tool/dist/main.js built (${Math.round(bytes / 1024)} KiB with its source map)`);
