import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeSql, LineIndex, loadManifestSync, rules as coreRules, RULE_GROUPS, ruleGroupOf } from '@limitless-lint/core';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, plugin } from './rule-tester.js';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { name: string; version: string };
const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

describe('the plugin', () => {
  it('names itself', () => {
    expect(plugin.meta).toEqual({ name: '@limitless-lint/eslint-plugin', version: pkg.version });
  });

  it('has one rule per core rule, with the same id and messages, one per group alias, plus its own two', () => {
    expect(Object.keys(plugin.rules)).toEqual([...coreRules.map((r) => r.meta.id), ...Object.keys(RULE_GROUPS), 'manifest-error', 'unanalysable-sql']);
    for (const [group, members] of Object.entries(RULE_GROUPS)) {
      for (const member of coreRules.filter((r) => members.includes(r.meta.id))) expect(plugin.rules[group]?.meta?.messages).toMatchObject(member.meta.messages);
    }
    for (const core of coreRules) {
      const meta = plugin.rules[core.meta.id]?.meta;
      expect(meta?.messages).toMatchObject(core.meta.messages);
      expect(meta?.type).toBe('problem');
      expect(meta?.schema).toEqual([]);
      expect(meta?.docs?.description).toBe(core.meta.description);
      expect(meta?.docs?.url).toBe(`https://github.com/limitless-lint/limitless-lint/blob/main/docs/rules/${core.meta.id}.md`);
    }
    expect(plugin.rules['unanalysable-sql']?.meta?.docs?.url).toBe('https://github.com/limitless-lint/limitless-lint/blob/main/docs/eslint.md#unanalysable-sql');
  });

  it('recommends every rule that core does not switch off, at its level, a group alias standing for its members', () => {
    const { recommended } = plugin.configs;
    expect(recommended.files).toEqual(['**/*.{ts,tsx,mts,cts,js,mjs,cjs}']);
    expect(recommended.plugins?.['limitless-lint']).toBe(plugin);
    const expected: Record<string, string> = { 'limitless-lint/manifest-error': 'error' };
    for (const core of coreRules) {
      if (core.meta.defaultLevel !== 'off') expected[`limitless-lint/${ruleGroupOf(core.meta.id) ?? core.meta.id}`] = core.meta.defaultLevel === 'error' ? 'error' : 'warn';
    }
    expect(recommended.rules).toEqual(expected);
    expect(recommended.rules).not.toHaveProperty('limitless-lint/unanalysable-sql');
    expect(recommended.rules).toHaveProperty('limitless-lint/no-unsupported-feature', 'error');
    expect(recommended.rules).not.toHaveProperty('limitless-lint/no-unsupported-dml');
  });
});

describe('the group alias no-unsupported-feature', () => {
  const code = 'import { pool } from "./db";\nexport const a = () => pool.query("LISTEN payments");\nexport const b = () => pool.query("BEGIN ISOLATION LEVEL SERIALIZABLE");\n';
  const lint = (rules: Linter.RulesRecord) =>
    new Linter({ configType: 'flat' })
      .verify(code, [{ files: ['**/*.js'], plugins: { 'limitless-lint': plugin }, rules, settings: { 'limitless-lint': { manifest: DEMO_MANIFEST } } }] as Linter.Config[], 'h.js')
      .filter((m) => m.ruleId !== 'limitless-lint/no-session-pinning')
      .map((m) => [m.ruleId, m.line, m.messageId]);

  it('reports every member\'s findings under its own name, as configurations written before the split expect', () => {
    expect(lint({ 'limitless-lint/no-unsupported-feature': 'error' })).toEqual([
      ['limitless-lint/no-unsupported-feature', 2, 'unsupportedStatement'],
      ['limitless-lint/no-unsupported-feature', 3, 'unsupportedIsolation'],
    ]);
  });

  it('leaves a member enabled on its own to report its findings, once', () => {
    expect(lint({ 'limitless-lint/no-unsupported-feature': 'error', 'limitless-lint/no-unsupported-isolation': 'warn' })).toEqual([
      ['limitless-lint/no-unsupported-feature', 2, 'unsupportedStatement'],
      ['limitless-lint/no-unsupported-isolation', 3, 'unsupportedIsolation'],
    ]);
  });

  it('reports nothing when switched off in recommended', () => {
    expect(lint({ ...plugin.configs.recommended.rules, 'limitless-lint/no-unsupported-feature': 'off' }).filter((m) => String(m[0]).includes('unsupported'))).toEqual([]);
  });
});

/** The same rules on in core and in ESLint: the recommended ones, plus the rule under test. */
const enabledWith = (id: string) => coreRules.filter((r) => r.meta.defaultLevel !== 'off' || r.meta.id === id).map((r) => r.meta.id);

/**
 * Every core rule's documented invalid examples, embedded in a query call on the fourth line of a
 * file: the ESLint rule reports exactly what core reports on the bare SQL, shifted to the literal.
 * Examples holding `\`, a backtick or `${` are left out (escapes are covered by the position tests).
 */
describe.each(coreRules.map((r) => [r.meta.id, r] as const))('%s: documented invalid examples', (id, core) => {
  const manifestFile = core.meta.examples.manifest ? `${FIXTURES}manifests/${core.meta.examples.manifest}.yaml` : DEMO_MANIFEST;
  const examples = core.meta.examples.invalid.filter((sql) => !/[\\`]|\$\{/.test(sql));
  it.each(examples)('%s', (sql) => {
    const loaded = loadManifestSync(manifestFile);
    if (!loaded.ok) throw new Error(`bad manifest ${manifestFile}`);
    const prefix = 'import { pool } from "./db";\n\nexport const run = () =>\n  pool.query(`';
    const code = `${prefix}${sql}`.concat('`);\n');
    const index = new LineIndex(code);
    const enabled = enabledWith(id);
    const ruleOverrides = Object.fromEntries(coreRules.map((r) => [r.meta.id, enabled.includes(r.meta.id) ? ('error' as const) : ('off' as const)]));
    const expected = analyzeSql(sql, { manifest: loaded.manifest, ruleOverrides })
      .diagnostics.filter((d) => d.ruleId === id)
      .map((d) => {
        const start = index.positionAt(prefix.length + d.span.start);
        const end = index.positionAt(prefix.length + d.span.end);
        return { messageId: d.messageId, message: d.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
      });
    expect(expected.length).toBeGreaterThan(0);
    const messages = new Linter({ configType: 'flat' }).verify(
      code,
      [
        {
          files: ['**/*.js'],
          plugins: { 'limitless-lint': plugin },
          rules: Object.fromEntries(enabled.map((ruleId) => [`limitless-lint/${ruleId}`, 'error'])),
          settings: { 'limitless-lint': { manifest: manifestFile } },
        },
      ] as Linter.Config[],
      'handler.js',
    );
    expect(messages.filter((m) => m.ruleId === `limitless-lint/${id}`).map((m) => ({ messageId: m.messageId, message: m.message, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn }))).toEqual(expected);
  });
});

describe('parsers', () => {
  // espree normalises the raw text of templates (CRLF → LF), typescript-estree does not: the
  // extractor reads the source itself, so both give the same positions.
  it('espree (.js) and typescript-estree (.ts) give the same positions, CRLF included', async () => {
    const { default: tseslint } = await import('typescript-eslint');
    const code = [
      "import { pool, sql } from './db.js';",
      'export const list = (merchantId) => sql`',
      '  SELECT t.transaction_id,\t\'\\n\' AS nl',
      '    FROM transactions t',
      '   WHERE t.merchant_id = ${merchantId}`;',
      "export const pin = () => pool.query('SET statement_timeout = 5000');",
    ].join('\r\n');
    const config = (parser?: Linter.Parser): Linter.Config[] => [
      { ...plugin.configs.recommended, files: ['**/*.js', '**/*.ts'], settings: { 'limitless-lint': { manifest: DEMO_MANIFEST } }, ...(parser ? { languageOptions: { parser } } : {}) },
    ];
    const lint = (file: string, parser?: Linter.Parser) =>
      new Linter({ configType: 'flat' }).verify(code, config(parser), file).map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]);
    const expected = [
      ['limitless-lint/require-shard-key', 4, 10, 4, 22],
      ['limitless-lint/no-session-pinning', 6, 38, 6, 59],
    ];
    expect(lint('list.js')).toEqual(expected);
    expect(lint('list.ts', tseslint.parser as Linter.Parser)).toEqual(expected);
  });
});
