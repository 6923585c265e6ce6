// @ts-check
import js from '@eslint/js';
import limitless from '@limitless-lint/eslint-plugin';
import tseslint from 'typescript-eslint';

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
