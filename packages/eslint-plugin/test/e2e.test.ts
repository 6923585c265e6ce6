import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { APP, ESLINT_BIN, HANDLER, RECOMMENDED, findings } from './ts-app.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

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
