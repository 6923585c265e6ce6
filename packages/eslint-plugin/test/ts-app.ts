import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ESLint } from 'eslint';

// fixtures/ts-app: a Lambda-style app with its own eslint.config.js (which imports the built plugin,
// packages/eslint-plugin/dist, as a user's config imports it from npm) and limitless.yaml.
export const APP = fileURLToPath(new URL('../../../fixtures/ts-app/', import.meta.url));

const require = createRequire(import.meta.url);
/** The eslint CLI (the workspace's ESLint, 10) and ESLint 9's (devDependency eslint-v9). */
export const ESLINT_BIN = join(dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
export const ESLINT_9_BIN = join(dirname(require.resolve('eslint-v9/package.json')), 'bin', 'eslint.js');

export interface Finding {
  readonly file: string;
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity: number;
}

export const HANDLER = 'src/handlers/account-activity.ts';

/** What the recommended config reports on the app, in ESLint's order. */
export const RECOMMENDED: readonly Finding[] = [
  { file: HANDLER, ruleId: 'limitless-lint/no-session-pinning', line: 17, column: 21, endLine: 17, endColumn: 42, severity: 1 },
  { file: HANDLER, ruleId: 'limitless-lint/no-sequence-ordering', line: 29, column: 105, endLine: 29, endColumn: 124, severity: 1 },
  { file: HANDLER, ruleId: 'limitless-lint/require-shard-key', line: 35, column: 12, endLine: 35, endColumn: 21, severity: 2 },
  { file: HANDLER, ruleId: 'limitless-lint/no-cross-shard-join', line: 35, column: 12, endLine: 35, endColumn: 21, severity: 2 },
  { file: HANDLER, ruleId: 'limitless-lint/require-shard-key', line: 44, column: 80, endLine: 44, endColumn: 92, severity: 2 },
];

/** ESLint's results as findings, file names relative to `root` (the app). */
export function findings(results: readonly ESLint.LintResult[], root = APP): Finding[] {
  return results.flatMap((r) =>
    r.messages.map((m) => ({
      file: relative(root, r.filePath),
      ruleId: m.ruleId,
      line: m.line,
      column: m.column,
      ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
      ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
      severity: m.severity,
    })),
  );
}
