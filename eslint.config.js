// @ts-check
import js from '@eslint/js';
import limitless from '@limitless-lint/eslint-plugin';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// The CLI's layers (packages/cli/src/README.md): each may import only the layers listed for it, so
// that nothing below the commands imports a command, and the input, run and CI code stay usable alone.
const CLI = './packages/cli/src';
const layer = (target, ...allowed) => ({
  target: [target].flat().map((t) => `${CLI}/${t}`),
  from: CLI,
  except: allowed.map((a) => `./${a}`),
  message: `See packages/cli/src/README.md for what each folder may import.`,
});
const cliLayers = [
  layer('util', 'util'),
  layer('input', 'input', 'util'),
  layer(['run', 'worker.ts', 'lint-worker.ts'], 'run', 'input', 'util', 'worker.ts'),
  layer('reporters', 'reporters', 'run', 'util', 'version.ts'),
  layer('ci', 'ci', 'reporters', 'run', 'input', 'util'),
  layer(['commands', 'live', 'verify-local'], 'commands', 'live', 'verify-local', 'ci', 'reporters', 'run', 'input', 'util', 'version.ts'),
  layer('version.ts'),
];
// Core knows nothing of the CLI or the ESLint plugin; the plugin is an adapter over core, not the CLI.
const packageLayers = [
  { target: './packages/core', from: ['./packages/cli', './packages/eslint-plugin'], message: 'core knows nothing of the CLI or the ESLint plugin (docs/architecture.md).' },
  { target: './packages/eslint-plugin', from: './packages/cli', message: 'the ESLint plugin is an adapter over core, not over the CLI (docs/architecture.md).' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layer boundaries (packages and CLI folders) and import cycles, in product code.
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Only our TypeScript sources are followed (not the built core the CLI imports by package name).
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import each other as `./x.js`, which is `./x.ts` until built.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: [...cliLayers, ...packageLayers] }],
    },
  },
  // Type-only imports do not count. Core (no cycle today) is left out: following its modules again
  // would add a third to `pnpm lint`'s time (a second parse of each file).
  {
    files: ['packages/cli/src/**/*.ts', 'packages/eslint-plugin/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  // Nor does core import ESLint (it reads ESTree types only, from @typescript-eslint/types).
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['eslint', 'eslint/*', '@eslint/*'], message: 'core knows nothing of ESLint (docs/architecture.md).' }] }],
    },
  },
  // Dogfood: our own product code through our own plugin (its SQL reads catalogs and the demo schema).
  // Needs the build first (`tsc -b`), as `pnpm lint` in CI runs after `pnpm typecheck`.
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: limitless.configs.recommended.plugins,
    rules: limitless.configs.recommended.rules,
    settings: { 'limitless-lint': { manifest: 'fixtures/demo/limitless.yaml' } },
  },
);
