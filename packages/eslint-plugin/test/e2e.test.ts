import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

// fixtures/ts-app: a Lambda-style app with its own eslint.config.js (which imports the built plugin,
// packages/eslint-plugin/dist, as a user's config imports it from npm) and limitless.yaml.
const APP = fileURLToPath(new URL('../../../fixtures/ts-app/', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const ESLINT_BIN = join(dirname(createRequire(import.meta.url).resolve('eslint/package.json')), 'bin', 'eslint.js');

interface Finding {
  readonly file: string;
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity: number;
}

const HANDLER = 'src/handlers/account-activity.ts';

/** What the recommended config reports on the app, in ESLint's order. */
const RECOMMENDED: readonly Finding[] = [
  { file: HANDLER, ruleId: 'limitless-lint/no-session-pinning', line: 17, column: 21, endLine: 17, endColumn: 42, severity: 1 },
  { file: HANDLER, ruleId: 'limitless-lint/no-sequence-ordering', line: 29, column: 105, endLine: 29, endColumn: 124, severity: 1 },
  { file: HANDLER, ruleId: 'limitless-lint/require-shard-key', line: 35, column: 12, endLine: 35, endColumn: 21, severity: 2 },
  { file: HANDLER, ruleId: 'limitless-lint/no-cross-shard-join', line: 35, column: 12, endLine: 35, endColumn: 21, severity: 2 },
  { file: HANDLER, ruleId: 'limitless-lint/require-shard-key', line: 44, column: 80, endLine: 44, endColumn: 92, severity: 2 },
];

function findings(results: readonly ESLint.LintResult[]): Finding[] {
  return results.flatMap((r) =>
    r.messages.map((m) => ({
      file: relative(APP, r.filePath),
      ruleId: m.ruleId,
      line: m.line,
      column: m.column,
      ...(m.endLine !== undefined ? { endLine: m.endLine } : {}),
      ...(m.endColumn !== undefined ? { endColumn: m.endColumn } : {}),
      severity: m.severity,
    })),
  );
}

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx tsc -b), as \`pnpm test\` does`);
});

describe('fixtures/ts-app', () => {
  it('uses a copy of the demo manifest', () => {
    expect(readFileSync(`${APP}limitless.yaml`, 'utf8')).toBe(readFileSync(fileURLToPath(new URL('../../../fixtures/demo/limitless.yaml', import.meta.url)), 'utf8'));
  });

  it('is linted through the Node API with its own eslint.config.js', async () => {
    const eslint = new ESLint({ cwd: APP });
    const results = await eslint.lintFiles(['src']);
    expect(findings(results)).toEqual(RECOMMENDED);
    const [result] = results.filter((r) => r.messages.length > 0);
    expect(result?.messages[0]?.message).toBe('`SET statement_timeout` changes a session setting, which pins the client to its RDS Proxy database connection.');
  });

  it('is linted through the Node API with an override config, unanalysable-sql on', async () => {
    const eslint = new ESLint({
      cwd: APP,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        plugin.configs.recommended,
        { rules: { 'limitless-lint/unanalysable-sql': 'warn' } },
      ],
    });
    const expected = [...RECOMMENDED, { file: HANDLER, ruleId: 'limitless-lint/unanalysable-sql', line: 51, column: 84, endLine: 51, endColumn: 93, severity: 1 }];
    expect(findings(await eslint.lintFiles(['src']))).toEqual(expected);
  });

  it('is linted by the eslint CLI in a child process', () => {
    const run = spawnSync(process.execPath, [ESLINT_BIN, '--format', 'json', 'src'], { cwd: APP, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // 1: errors were found.
    expect(run.status).toBe(1);
    expect(findings(JSON.parse(run.stdout) as ESLint.LintResult[])).toEqual(RECOMMENDED);
  });
});
