import * as core from '@limitless-lint/core';
import { Linter } from 'eslint';
import { describe, expect, it, vi } from 'vitest';
import plugin from '../src/index.js';
import { DEMO_MANIFEST } from './rule-tester.js';

vi.mock('@limitless-lint/core', async (importOriginal) => {
  const original = await importOriginal<typeof core>();
  return { ...original, analyzeSqlSite: vi.fn(original.analyzeSqlSite), sqlSiteAt: vi.fn(original.sqlSiteAt) };
});

const code = [
  "import { pool, sql } from './db';",
  "export const a = () => pool.query('SELECT * FROM transactions WHERE merchant_id = $1', [1]);",
  'export const b = (id) => sql`SELECT * FROM refunds r JOIN transactions t ON t.account_id = r.account_id WHERE r.account_id = ${id}`;',
  "export const c = () => pool.query('SET statement_timeout = 5000');",
  'export const d = () => console.log(`not ${"sql"}`);',
].join('\n');

describe('the per-file cache', () => {
  it('extracts and analyses each SQL site once, whatever the number of rules', () => {
    const linter = new Linter({ configType: 'flat' });
    const rules = Object.fromEntries(Object.keys(plugin.rules).map((id) => [`limitless-lint/${id}`, 'warn' as const]));
    const messages = linter.verify(code, [{ files: ['**/*.js'], plugins: { 'limitless-lint': plugin }, rules, settings: { 'limitless-lint': { manifest: DEMO_MANIFEST } } }] as Linter.Config[], 'handler.js');
    expect(new Set(messages.map((m) => m.ruleId))).toEqual(new Set(['limitless-lint/require-shard-key', 'limitless-lint/unknown-table', 'limitless-lint/no-session-pinning']));
    expect(Object.keys(plugin.rules).length).toBeGreaterThan(10);
    // Three SQL sites, each analysed once for all rules.
    expect(vi.mocked(core.analyzeSqlSite)).toHaveBeenCalledTimes(3);
    // One extraction per call expression and tagged template (three calls, one template), not one per rule.
    expect(vi.mocked(core.sqlSiteAt)).toHaveBeenCalledTimes(4);
  });
});
