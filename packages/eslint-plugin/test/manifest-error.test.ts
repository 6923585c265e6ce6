import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, plugin, pluginRule, ruleTester } from './rule-tester.js';

const dir = mkdtempSync(join(tmpdir(), 'limitless-eslint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INVALID = join(dir, 'invalid.yaml');
writeFileSync(INVALID, 'shards: 16\ntables:\n  accounts: { mode: shardd }\n  transactions: { mode: sharded }\n');
const MISSING = join(dir, 'missing', 'limitless.yaml');
/** A directory with no limitless.yaml in it or above it (the temporary directory's parents have none). */
const NO_MANIFEST_DIR = join(dir, 'no-manifest');
mkdirSync(NO_MANIFEST_DIR);

const SQL = 'const rows = sql`SELECT * FROM transactions WHERE merchant_id = ${m}`;';
const withManifest = (manifest: string) => ({ 'limitless-lint': { manifest } });

ruleTester.run('manifest-error', pluginRule('manifest-error'), {
  valid: [
    SQL,
    // No SQL in the file: the manifest does not matter there.
    { code: 'export const answer = 42;', settings: withManifest(MISSING) },
  ],
  invalid: [
    {
      code: `${SQL}\n${SQL.replace('rows', 'more')}`,
      settings: withManifest(MISSING),
      errors: [
        {
          messageId: 'manifestProblem',
          data: { message: `The manifest cannot be used, so the SQL in this file is not analysed: ${MISSING}: cannot read the manifest: file not found.` },
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: SQL.length + 1,
        },
      ],
    },
    {
      code: SQL,
      settings: withManifest(INVALID),
      errors: [{ messageId: 'manifestProblem', line: 1, column: 1, endLine: 1, endColumn: SQL.length + 1 }],
    },
    {
      // Bad settings are reported in every file, SQL or not.
      code: 'export const answer = 42;',
      settings: { 'limitless-lint': { manifest: DEMO_MANIFEST, tags: 'sql', reportUknown: true } },
      errors: [
        {
          messageId: 'manifestProblem',
          data: {
            message:
              "settings['limitless-lint'] has an unknown key `reportUknown` (known: manifest, tags, calls, reportUnknown). settings['limitless-lint'].tags must be a list of non-empty strings (a name pattern, or `!` and a pattern to leave out).",
          },
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 26,
        },
      ],
    },
    {
      // `tags: [], calls: []` does not turn detection off silently: it is reported.
      code: 'export const answer = 42;',
      settings: { 'limitless-lint': { manifest: DEMO_MANIFEST, tags: [], calls: [] } },
      errors: [
        {
          messageId: 'manifestProblem',
          data: {
            message: ['tags', 'calls']
              .map(
                (key) =>
                  `settings['limitless-lint'].${key} is empty, which does not turn SQL detection off: the built-in tags and calls are always looked for (see docs/eslint.md). Leave one out with \`!name\` (\`'!sql'\`), or turn the limitless-lint rules off for files without SQL.`,
              )
              .join(' '),
          },
          line: 1,
        },
      ],
    },
  ],
});

// Without a manifest setting, limitless.yaml is looked for from the linted file upwards.
new RuleTester().run('manifest-error (found from the file)', pluginRule('manifest-error'), {
  valid: [{ code: 'export const answer = 42;', filename: join(NO_MANIFEST_DIR, 'plain.ts') }],
  invalid: [
    {
      code: `import { sql } from './db';\n${SQL}`,
      filename: join(NO_MANIFEST_DIR, 'handler.ts'),
      errors: [
        {
          messageId: 'manifestProblem',
          data: {
            message: `No limitless.yaml found in ${NO_MANIFEST_DIR} or above it, so the SQL in this file is not analysed: create one (\`limitless-lint init\`) or name it in settings['limitless-lint'].manifest.`,
          },
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 28,
        },
      ],
    },
  ],
});

// When manifest-error is off, the first enabled rule reports the problem instead: never silence.
new RuleTester({ settings: withManifest(MISSING) }).run('require-shard-key (manifest-error off)', pluginRule('require-shard-key'), {
  valid: ['export const answer = 42;'],
  invalid: [{ code: SQL, errors: [{ messageId: 'manifestProblem', line: 1, column: 1 }] }],
});

describe('a manifest problem with every rule on', () => {
  const lint = (rules: Linter.Config['rules']) =>
    new Linter({ configType: 'flat' }).verify(`${SQL}\n${SQL.replace('rows', 'more')}\n`, [{ ...plugin.configs.recommended, files: ['**/*.js'], rules, settings: withManifest(MISSING) }] as Linter.Config[], 'handler.js');

  it('is reported once, by manifest-error', () => {
    const messages = lint({ ...plugin.configs.recommended.rules });
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['limitless-lint/manifest-error', 1, 1]]);
  });

  it('is reported once, by the first enabled rule when manifest-error is off', () => {
    const messages = lint({ ...plugin.configs.recommended.rules, 'limitless-lint/manifest-error': 'off' });
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['limitless-lint/require-shard-key', 1, 1]]);
  });
});

describe('finding and reloading the manifest', () => {
  it('walks up from the linted file, and reads the manifest again when it changes', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'src', 'handlers'), { recursive: true });
    const manifest = join(project, 'limitless.yaml');
    copyFileSync(DEMO_MANIFEST, manifest);
    const lint = () =>
      new Linter({ configType: 'flat', cwd: project })
        .verify(SQL, [{ ...plugin.configs.recommended, files: ['**/*.ts'] }] as Linter.Config[], join(project, 'src', 'handlers', 'list.ts'))
        .map((m) => m.ruleId);
    expect(lint()).toEqual(['limitless-lint/require-shard-key']);
    // transactions becomes a reference table: no shard key to require any more.
    const changed = readFileSync(DEMO_MANIFEST, 'utf8').replace(/ {2}transactions:\n {4}mode: sharded\n {4}shard_key: \[account_id\]\n {4}collocate_with: accounts\n/, '  transactions:\n    mode: reference\n');
    expect(changed).not.toBe(readFileSync(DEMO_MANIFEST, 'utf8'));
    writeFileSync(manifest, changed);
    const later = new Date(Date.now() + 5_000);
    utimesSync(manifest, later, later);
    expect(lint()).toEqual([]);
  });
});
