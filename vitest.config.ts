import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The rule set the tests run on (LIMITLESS_LINT_RULE_SET pins the catalogue in this process, its
 * workers and child processes). Reporter, CLI, baseline, changed-since, demo and ESLint end-to-end
 * tests assert whole reports: pinned, a new rule changes none of them and is tested by its own tests
 * (testRule and lint with a `ruleId` see every registered rule) and catalogue.test.ts. Add a rule
 * here only when tests that assert whole reports should include it.
 */
const FIXED_RULE_SET = [
  'require-shard-key',
  'no-cross-shard-join',
  'no-fast-path-breaker',
  'no-shard-key-update',
  'no-reference-table-write',
  'no-multi-shard-write',
  'no-session-pinning',
  'no-sequence-ordering',
  'require-shard-key-in-unique',
  'no-hot-shard-key',
  'no-unsupported-ddl',
  'no-unsupported-dml',
  'no-unsupported-table-feature',
  'no-unsupported-sequence-feature',
  'no-unsupported-isolation',
  'no-collocation-mismatch',
  'parse-error',
  'unknown-table',
  'invalid-suppression',
  'unused-suppression',
];

export default defineConfig({
  resolve: {
    alias: {
      '@limitless-lint/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    env: { LIMITLESS_LINT_RULE_SET: FIXED_RULE_SET.join(',') },
  },
});
