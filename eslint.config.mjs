// Dependency direction is enforced here, not in prose (docs/decisions/0004-dependency-rules.md):
//   apps -> packages -> @attest/standards -> zod only.
// Only apps/tool/src/lti/ may import ltijs; the UI imports no server code; only env.ts reads process.env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const serverOnly = ['ltijs', 'express', 'pg', 'pg-boss', 'drizzle-orm', 'drizzle-orm/*', '@electric-sql/pglite', '@electric-sql/pglite/*', '@attest/tool', '@attest/platform-emulator', 'node:*', 'fs', 'path', 'http', 'crypto'];

// Only apps/tool/src/lti/ may import ltijs. Named once: a later block that sets no-restricted-imports
// for some tool files replaces this rule for them, so such a block spreads these in again.
const ltijsImports = {
  paths: [{ name: 'ltijs', message: 'Only apps/tool/src/lti/ may import ltijs: use the adapter.' }],
  patterns: [{ group: ['ltijs/*'], message: 'Only apps/tool/src/lti/ may import ltijs: use the adapter.' }],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/drizzle/**', '**/.attest-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine is pure: no I/O, no clock, nothing but zod. Its CLI and tests sit at the edge.
    files: ['packages/standards/src/**/*.ts'],
    ignores: ['packages/standards/src/cli/**', 'packages/standards/src/loader/**'],
    rules: {
      // A regex, not gitignore-style groups: negations such as `!./*` never match './x.ts'.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod(/|$)|\\.\\.?/)', message: 'packages/standards is pure: it may import only zod and its own files.' }] }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time comes in as `asOf`; never read the clock inside the engine.' }, { name: 'process', message: 'The engine reads no environment.' }],
    },
  },
  {
    files: ['apps/tool/src/**/*.ts'],
    ignores: ['apps/tool/src/lti/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ltijsImports.paths, patterns: ltijsImports.patterns }],
      // `import` statements are not the only way in: a require() made by createRequire, or a dynamic
      // import(), would load ltijs just the same, so any call naming the module is refused too.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[arguments.0.value=/^ltijs(\\/|$)/]", message: 'Only apps/tool/src/lti/ may load ltijs (require/createRequire): use the adapter.' },
        { selector: "ImportExpression[source.value=/^ltijs(\\/|$)/]", message: 'Only apps/tool/src/lti/ may import ltijs: use the adapter.' },
      ],
    },
  },
  {
    // The two features of a learner's portfolio never import each other (docs/decisions/0012): the
    // learner's writes (evidence/) and the assessor's (assessment/) share what they read through
    // portfolio/ and db/, and portfolio/ depends on neither. A later block's rule replaces an earlier
    // one's for the same files, so the ltijs rule above is repeated here.
    files: ['apps/tool/src/evidence/**/*.ts', 'apps/tool/src/assessment/**/*.ts', 'apps/tool/src/portfolio/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ltijsImports.paths,
          patterns: [
            ...ltijsImports.patterns,
            { regex: '^(\\./)?(\\.\\./)+(src/)?assessment(/|$)', message: 'evidence/ and portfolio/ never import assessment/: move what both read into portfolio/, what both write into db/.' },
            { regex: '^(\\./)?(\\.\\./)+(src/)?evidence(/|$)', message: 'assessment/ and portfolio/ never import evidence/: move what both read into portfolio/, what both write into db/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [...serverOnly.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'The UI talks to the API only: no server code here.' })), { name: '@attest/evidence-files', message: 'The UI may import only @attest/evidence-files/rules: the package root is Node file storage.' }], patterns: [{ group: ['node:*', 'drizzle-orm/*', '@electric-sql/*', '@attest/tool/*'], message: 'The UI talks to the API only: no server code here.' }] }],
    },
  },
  {
    // The UI calls the API only through the contracts' route table (apiRoutes, pathOf), so a URL
    // cannot drift from the route the server registers: a hand-written "/api…" string fails here.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^\\/api(\\/|$)/]', message: 'Call the API through apiRoutes (api.call / api.getBlob / pathOf), not a hand-written URL.' },
        { selector: 'TemplateElement[value.raw=/^\\/api(\\/|$)/]', message: 'Call the API through apiRoutes (api.call / api.getBlob / pathOf), not a hand-written URL.' },
      ],
    },
  },
  {
    // Configuration is parsed once, at the edge (env.ts); everything else receives it.
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts'],
    ignores: ['**/env.ts', '**/main.ts', 'packages/standards/src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in env.ts and pass it in.' }],
    },
  },
);
