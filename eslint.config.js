import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, top to bottom (docs/ARCHITECTURE.md#layers). A module may import its own
 * folder and anything in a LOWER layer: never up, and never sideways within a layer, so no two
 * modules can reach each other in a round trip. Folders are named bare, top-level files with `.ts`.
 */
const LAYERS = [
  ['cli'],
  ['demo'],
  ['main.ts'],
  ['app.ts'],
  ['web'],
  ['console'],
  ['issuance', 'device'],
  ['mapping', 'issuer', 'preferences'],
  ['idp'],
  ['sts', 'store', 'emulator', 'devidp'],
  ['config'],
  [
    'wire',
    'errors.ts',
    'log.ts',
    'clock.ts',
    'iso-time.ts',
    'shell-quote.ts',
    'loopback.ts',
    'secret-compare.ts',
    'http-server.ts',
    'idle-memory.ts',
    'frozen.ts',
  ],
  // The sentences errors.ts says (the web catalogues include them): below it, as no sibling may import another.
  ['error-messages'],
];
/** The foundation: the two bottom rows. */
const FOUNDATION_ROWS = 2;
/** The CLI's client code speaks HTTP to the bridge: it may import only the foundation (and itself). */
const CLI_CLIENT = 'cli/client';
/** What the pages' scripts (src/web/assets/*.js) may use of the browser. */
const BROWSER_GLOBALS = [
  'document',
  'window',
  'navigator',
  'fetch',
  'FormData',
  'URLSearchParams',
  'HTMLElement',
  'sessionStorage',
  'performance',
];
const DEEPEST = 4; // how deep under src/ the rules reach (src/a/b/c/d.ts)

/** A regex for a relative import of `target` (a folder, or a top-level `.ts` file) from `depth` folders below src/. */
function importOf(target, depth) {
  const up = depth === 0 ? '\\./' : '\\.\\./'.repeat(depth);
  const name = target.replace(/\.ts$/, '').replace(/\./g, '\\.');
  return target.endsWith('.ts') ? `^${up}${name}\\.c?js$` : `^${up}${name}/`;
}

/** One `no-restricted-imports` block per file depth, so every relative path is matched exactly. */
function forbid(module, targets, why) {
  const depths = module.endsWith('.ts')
    ? [0]
    : Array.from({ length: DEEPEST - module.split('/').length + 1 }, (_, i) => i + module.split('/').length);
  return depths.map((depth) => ({
    files: [module.endsWith('.ts') ? `src/${module}` : `src/${module}/${'*/'.repeat(depth - module.split('/').length)}*.{ts,cts}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: targets.map((target) => ({
            regex: importOf(target, depth),
            message: `src/${module} may not import src/${target}: ${why}`,
          })),
        },
      ],
    },
  }));
}

function layerRules() {
  const why = 'imports point down the layers (docs/ARCHITECTURE.md#layers).';
  const blocks = LAYERS.flatMap((layer, i) => {
    const upOrSideways = LAYERS.slice(0, i + 1).flat();
    return layer.flatMap((module) =>
      forbid(
        module,
        upOrSideways.filter((m) => m !== module),
        why,
      ),
    );
  });
  // After cli's own blocks, so these win for src/cli/client/.
  const aboveFoundation = LAYERS.slice(0, -FOUNDATION_ROWS).flat();
  return [...blocks, ...forbid(CLI_CLIENT, aboveFoundation, 'the CLI client speaks HTTP to the bridge (docs/ARCHITECTURE.md#layers).')];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.cts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Koa handlers and Store/StsClient implementations are async by contract: a throw must become a
      // rejection even where the body happens not to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allow: [{ from: 'package', name: ['URL', 'URLSearchParams'], package: 'url' }] },
      ],
    },
  },
  {
    // supertest's `res.body` and Playwright's evaluate() results are `any` by design: tests assert on them directly.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['bin/**/*.js', '*.config.js', 'bench/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // bin/package.json makes the launcher CommonJS (see bin/rambridge.js).
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
  },
  ...layerRules(),
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: { globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])) },
  },
);
