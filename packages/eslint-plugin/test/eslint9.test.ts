import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

// The plugin supports ESLint 9 and 10 (peerDependencies). The workspace uses 10; this runs the same
// fixture through ESLint 9's Node API, installed under the alias `eslint-v9`.
const APP = fileURLToPath(new URL('../../../fixtures/ts-app/', import.meta.url));

interface Message {
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
  readonly severity: number;
}

describe('ESLint 9', () => {
  it('reports the same findings on fixtures/ts-app as ESLint 10', async () => {
    const { ESLint, Linter } = (await import('eslint-v9')) as unknown as {
      ESLint: new (options: object) => { lintFiles(patterns: string[]): Promise<{ filePath: string; messages: Message[] }[]> };
      Linter: { version: string };
    };
    expect(Linter.version).toMatch(/^9\./);
    const eslint = new ESLint({
      cwd: APP,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
    });
    const results = await eslint.lintFiles(['src']);
    const found = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(APP.length)}:${m.line}:${m.column} ${m.ruleId} ${m.severity}`));
    expect(found).toEqual([
      'src/handlers/account-activity.ts:17:21 limitless-lint/no-session-pinning 1',
      'src/handlers/account-activity.ts:29:105 limitless-lint/no-sequence-ordering 1',
      'src/handlers/account-activity.ts:35:12 limitless-lint/require-shard-key 2',
      'src/handlers/account-activity.ts:35:12 limitless-lint/no-cross-shard-join 2',
      'src/handlers/account-activity.ts:44:80 limitless-lint/require-shard-key 2',
    ]);
  });
});
