import { fileURLToPath } from 'node:url';
import { parse } from '@typescript-eslint/typescript-estree';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../manifest/types.js';
import { loadManifestSync } from '../manifest/load.js';
import { loadParser } from '../sql/parser.js';
import type { RuleOverrides } from '../rules/engine.js';
import { rules as catalogue } from '../rules/index.js';
import { analyzeSqlSite } from './analyze-sql-site.js';
import { findSqlSites } from './find-sql-sites.js';

const DEMO = fileURLToPath(new URL('../../../../fixtures/demo/limitless.yaml', import.meta.url));
let manifest: Manifest;

beforeAll(async () => {
  await loadParser();
  const loaded = loadManifestSync(DEMO);
  if (!loaded.ok) throw new Error('the demo manifest does not load');
  manifest = loaded.manifest;
});

/** Only these rules run, so that the cases do not change as other rules are written. */
const ONLY = (ids: readonly string[]): RuleOverrides => Object.fromEntries(catalogue.map((r) => [r.meta.id, ids.includes(r.meta.id) ? 'error' : 'off']));

interface Finding {
  readonly ruleId: string;
  readonly range: readonly [number, number];
  readonly text: string;
  readonly suggestions?: readonly { readonly range: readonly [number, number]; readonly text: string }[];
}

interface AnalyzeCase {
  readonly name: string;
  readonly code: string;
  readonly rules: readonly string[];
  readonly findings?: readonly Finding[];
  readonly unknown?: { readonly reason: string; readonly at: string };
}

const cases: readonly AnalyzeCase[] = [
  {
    name: 'a scatter over transactions, on the second line of a template',
    code: 'const rows = sql`SELECT *\n  FROM transactions\n WHERE merchant_id = ${merchantId}`;',
    rules: ['require-shard-key'],
    findings: [{ ruleId: 'require-shard-key', range: [33, 45], text: 'transactions' }],
  },
  {
    name: 'a pinned query has no finding',
    code: 'const rows = sql`SELECT * FROM transactions WHERE account_id = ${id}`;',
    rules: ['require-shard-key', 'parse-error', 'unknown-table'],
    findings: [],
  },
  {
    name: 'an identifier interpolated where a value cannot go: unknown, not a syntax error',
    code: 'const rows = sql`SELECT * FROM ${table} WHERE account_id = ${id}`;',
    rules: ['parse-error'],
    unknown: { reason: 'interpolation-not-a-value', at: '${table}' },
  },
  {
    name: 'the same when the caller has parse-error off',
    code: 'const rows = sql`SELECT * FROM ${table} WHERE account_id = ${id}`;',
    rules: ['require-shard-key'],
    unknown: { reason: 'interpolation-not-a-value', at: '${table}' },
  },
  {
    name: 'a real syntax error in a query call',
    code: "pool.query('SELEC * FROM accounts');",
    rules: ['parse-error'],
    findings: [{ ruleId: 'parse-error', range: [12, 17], text: 'SELEC' }],
  },
  {
    name: 'a syntax error away from the parameters stays a syntax error',
    code: 'sql`SELECT * FROM accounts WHERE account_id = ${id} AND`;',
    rules: ['parse-error'],
    findings: [{ ruleId: 'parse-error', range: [54, 55], text: 'D' }],
  },
  {
    name: 'parse errors off: none reported',
    code: "pool.query('SELEC * FROM accounts');",
    rules: [],
    findings: [],
  },
  {
    name: 'an unknown table after an interpolation',
    code: 'await pool.query(`SELECT * FROM refunds WHERE account_id = ${id}`);',
    rules: ['unknown-table'],
    findings: [{ ruleId: 'unknown-table', range: [32, 39], text: 'refunds' }],
  },
  {
    name: 'a suggestion lands in the quasi after the ${…} it follows',
    code: 'sql`SELECT * FROM accounts a\n  JOIN ledger_entries l ON l.transaction_id = ${tx}\n WHERE a.account_id = ${id}`;',
    rules: ['require-shard-key'],
    findings: [{ ruleId: 'require-shard-key', range: [36, 50], text: 'ledger_entries', suggestions: [{ range: [80, 80], text: ' AND l.account_id = a.account_id' }] }],
  },
  // ----- one outcome for an interpolation where a value cannot go, wherever the parser stops -----
  {
    name: 'an interpolated schema before a function call: the syntax error is at `(`, still unknown',
    code: 'sql`select ${schema}.fn()`;',
    rules: ['parse-error'],
    unknown: { reason: 'interpolation-not-a-value', at: '${schema}' },
  },
  {
    name: 'an interpolated schema before a table: unknown too',
    code: 'sql`select * from ${schema}.accounts where account_id = ${id}`;',
    rules: ['parse-error'],
    unknown: { reason: 'interpolation-not-a-value', at: '${schema}' },
  },
  {
    name: 'an interpolated clause: unknown',
    code: 'pool.query(`SELECT * FROM accounts WHERE account_id = $1 ${andClause} LIMIT 1`, [id]);',
    rules: ['parse-error'],
    unknown: { reason: 'interpolation-not-a-value', at: '${andClause}' },
  },
  // ----- library placeholders: findings land on them -----
  {
    name: "knex's ? is a value: a pinned key has no finding, an unpinned one is reported on the table",
    code: "knex.raw('SELECT * FROM transactions WHERE account_id = ?', [id]);",
    rules: ['require-shard-key', 'parse-error'],
    findings: [],
  },
  {
    name: "knex's ?? is an identifier: unknown, at the ??",
    code: "knex.raw('SELECT * FROM transactions WHERE ?? = ?', ['account_id', id]);",
    rules: ['require-shard-key', 'parse-error'],
    unknown: { reason: 'interpolation-not-a-value', at: '??' },
  },
  {
    name: "pg-promise's ${name} in a string",
    code: "db.one('SELECT * FROM transactions WHERE account_id = ${id}', { id });",
    rules: ['require-shard-key', 'parse-error'],
    findings: [],
  },
  {
    name: 'a finding after a placeholder lands at its place in the string',
    code: "db.query('SELECT * FROM transactions WHERE account_id = $<id> AND', { id });",
    rules: ['parse-error'],
    findings: [{ ruleId: 'parse-error', range: [64, 65], text: 'D' }],
  },
];

describe('analyzeSqlSite', () => {
  it.each(cases)('$name', ({ code, rules, findings, unknown }) => {
    const [site, ...more] = findSqlSites(parse(code, { range: true }), { tags: ['sql'], calls: ['*.query'], sourceText: code });
    if (!site || more.length > 0) throw new Error('expected one site');
    const analysis = analyzeSqlSite(site, { manifest, ruleOverrides: ONLY(rules) });
    if (unknown) {
      expect(analysis.kind === 'unknown' ? { reason: analysis.reason, at: code.slice(...analysis.at) } : analysis.kind).toEqual(unknown);
      return;
    }
    if (analysis.kind !== 'analysed') throw new Error(`unexpectedly unknown: ${analysis.message}`);
    expect(
      analysis.diagnostics.map((d) => ({
        ruleId: d.diagnostic.ruleId,
        range: d.range,
        text: code.slice(...d.range),
        ...(d.suggestions.length > 0 ? { suggestions: d.suggestions.flatMap((s) => s.edits) } : {}),
      })),
    ).toEqual(findings);
  });

  it('passes an unknown site through', () => {
    const code = 'pool.query(text);';
    const [site] = findSqlSites(parse(code, { range: true }), { tags: ['sql'], calls: ['*.query'], sourceText: code });
    if (!site) throw new Error('expected a site');
    expect(analyzeSqlSite(site, { manifest })).toMatchObject({ kind: 'unknown', reason: 'non-literal-sql', at: [11, 15] });
  });
});
